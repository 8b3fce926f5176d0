// A trimmed copy of Google's discovery document for Calendar v3 (revision 20261030), as shipped by
// google-api-python-client 2.202.0 in googleapiclient/discovery_cache/documents/calendar.v3.json:
// the global parameters, the methods the fake serves (calendarList.list/get, events.list/get/insert/
// patch/delete, freebusy.query) and every schema they reach, with descriptions removed. The fake checks
// each request against it (`FakeGoogleDiscovery`), so a client that sends an undocumented parameter
// or body field is refused as Google would refuse it. Regenerate by filtering the original document
// with Tests/Fixtures/google/trim-discovery.py; do not edit by hand.
enum FakeGoogleDiscoveryDocument {
    static let json = #"""
{
 "name": "calendar",
 "parameters": {
  "alt": {"default": "json", "enum": ["json"], "location": "query", "type": "string"},
  "fields": {"location": "query", "type": "string"},
  "key": {"location": "query", "type": "string"},
  "oauth_token": {"location": "query", "type": "string"},
  "prettyPrint": {"default": "true", "location": "query", "type": "boolean"},
  "quotaUser": {"location": "query", "type": "string"},
  "userIp": {"location": "query", "type": "string"}
 },
 "resources": {
  "calendarList": {
   "methods": {
    "get": {
     "httpMethod": "GET",
     "id": "calendar.calendarList.get",
     "parameters": {"calendarId": {"location": "path", "required": true, "type": "string"}},
     "path": "users/me/calendarList/{calendarId}",
     "response": {"$ref": "CalendarListEntry"}
    },
    "list": {
     "httpMethod": "GET",
     "id": "calendar.calendarList.list",
     "parameters": {
      "maxResults": {"format": "int32", "location": "query", "minimum": "1", "type": "integer"},
      "minAccessRole": {"enum": ["freeBusyReader", "owner", "reader", "writer", "writerWithoutPrivateAccess"], "location": "query", "type": "string"},
      "pageToken": {"location": "query", "type": "string"},
      "showDeleted": {"location": "query", "type": "boolean"},
      "showHidden": {"location": "query", "type": "boolean"},
      "showOwnOrganizationOnly": {"location": "query", "type": "boolean"},
      "syncToken": {"location": "query", "type": "string"}
     },
     "path": "users/me/calendarList",
     "response": {"$ref": "CalendarList"}
    }
   }
  },
  "events": {
   "methods": {
    "delete": {
     "httpMethod": "DELETE",
     "id": "calendar.events.delete",
     "parameters": {
      "calendarId": {"location": "path", "required": true, "type": "string"},
      "eventId": {"location": "path", "required": true, "type": "string"},
      "sendNotifications": {"location": "query", "type": "boolean"},
      "sendUpdates": {"enum": ["all", "externalOnly", "none"], "location": "query", "type": "string"}
     },
     "path": "calendars/{calendarId}/events/{eventId}"
    },
    "get": {
     "httpMethod": "GET",
     "id": "calendar.events.get",
     "parameters": {
      "alwaysIncludeEmail": {"location": "query", "type": "boolean"},
      "calendarId": {"location": "path", "required": true, "type": "string"},
      "eventId": {"location": "path", "required": true, "type": "string"},
      "maxAttendees": {"format": "int32", "location": "query", "minimum": "1", "type": "integer"},
      "timeZone": {"location": "query", "type": "string"}
     },
     "path": "calendars/{calendarId}/events/{eventId}",
     "response": {"$ref": "Event"}
    },
    "insert": {
     "httpMethod": "POST",
     "id": "calendar.events.insert",
     "parameters": {
      "calendarId": {"location": "path", "required": true, "type": "string"},
      "conferenceDataVersion": {"format": "int32", "location": "query", "maximum": "1", "minimum": "0", "type": "integer"},
      "eventLabelVersion": {"format": "int32", "location": "query", "maximum": "1", "minimum": "0", "type": "integer"},
      "maxAttendees": {"format": "int32", "location": "query", "minimum": "1", "type": "integer"},
      "sendNotifications": {"location": "query", "type": "boolean"},
      "sendUpdates": {"enum": ["all", "externalOnly", "none"], "location": "query", "type": "string"},
      "supportsAttachments": {"location": "query", "type": "boolean"}
     },
     "path": "calendars/{calendarId}/events",
     "request": {"$ref": "Event"},
     "response": {"$ref": "Event"}
    },
    "list": {
     "httpMethod": "GET",
     "id": "calendar.events.list",
     "parameters": {
      "alwaysIncludeEmail": {"location": "query", "type": "boolean"},
      "calendarId": {"location": "path", "required": true, "type": "string"},
      "eventTypes": {
       "enum": ["birthday", "default", "focusTime", "fromGmail", "outOfOffice", "workingLocation"],
       "location": "query",
       "repeated": true,
       "type": "string"
      },
      "iCalUID": {"location": "query", "type": "string"},
      "maxAttendees": {"format": "int32", "location": "query", "minimum": "1", "type": "integer"},
      "maxResults": {"default": "250", "format": "int32", "location": "query", "minimum": "1", "type": "integer"},
      "orderBy": {"enum": ["startTime", "updated"], "location": "query", "type": "string"},
      "pageToken": {"location": "query", "type": "string"},
      "privateExtendedProperty": {"location": "query", "repeated": true, "type": "string"},
      "q": {"location": "query", "type": "string"},
      "sharedExtendedProperty": {"location": "query", "repeated": true, "type": "string"},
      "showDeleted": {"location": "query", "type": "boolean"},
      "showHiddenInvitations": {"location": "query", "type": "boolean"},
      "singleEvents": {"location": "query", "type": "boolean"},
      "syncToken": {"location": "query", "type": "string"},
      "timeMax": {"format": "date-time", "location": "query", "type": "string"},
      "timeMin": {"format": "date-time", "location": "query", "type": "string"},
      "timeZone": {"location": "query", "type": "string"},
      "updatedMin": {"format": "date-time", "location": "query", "type": "string"}
     },
     "path": "calendars/{calendarId}/events",
     "response": {"$ref": "Events"}
    },
    "patch": {
     "httpMethod": "PATCH",
     "id": "calendar.events.patch",
     "parameters": {
      "alwaysIncludeEmail": {"location": "query", "type": "boolean"},
      "calendarId": {"location": "path", "required": true, "type": "string"},
      "conferenceDataVersion": {"format": "int32", "location": "query", "maximum": "1", "minimum": "0", "type": "integer"},
      "eventId": {"location": "path", "required": true, "type": "string"},
      "eventLabelVersion": {"format": "int32", "location": "query", "maximum": "1", "minimum": "0", "type": "integer"},
      "maxAttendees": {"format": "int32", "location": "query", "minimum": "1", "type": "integer"},
      "sendNotifications": {"location": "query", "type": "boolean"},
      "sendUpdates": {"enum": ["all", "externalOnly", "none"], "location": "query", "type": "string"},
      "supportsAttachments": {"location": "query", "type": "boolean"}
     },
     "path": "calendars/{calendarId}/events/{eventId}",
     "request": {"$ref": "Event"},
     "response": {"$ref": "Event"}
    }
   }
  },
  "freebusy": {
   "methods": {
    "query": {
     "httpMethod": "POST",
     "id": "calendar.freebusy.query",
     "path": "freeBusy",
     "request": {"$ref": "FreeBusyRequest"},
     "response": {"$ref": "FreeBusyResponse"}
    }
   }
  }
 },
 "revision": "20261030",
 "rootUrl": "https://www.googleapis.com/",
 "schemas": {
  "CalendarList": {
   "properties": {
    "etag": {"type": "string"},
    "items": {"items": {"$ref": "CalendarListEntry"}, "type": "array"},
    "kind": {"default": "calendar#calendarList", "type": "string"},
    "nextPageToken": {"type": "string"},
    "nextSyncToken": {"type": "string"}
   },
   "type": "object"
  },
  "CalendarListEntry": {
   "properties": {
    "accessRole": {"type": "string"},
    "autoAcceptInvitations": {"type": "boolean"},
    "backgroundColor": {"type": "string"},
    "colorId": {"type": "string"},
    "conferenceProperties": {"$ref": "ConferenceProperties"},
    "dataOwner": {"type": "string"},
    "defaultReminders": {"items": {"$ref": "EventReminder"}, "type": "array"},
    "deleted": {"default": "false", "type": "boolean"},
    "description": {"type": "string"},
    "etag": {"type": "string"},
    "foregroundColor": {"type": "string"},
    "hidden": {"default": "false", "type": "boolean"},
    "id": {"annotations": {"required": ["calendar.calendarList.insert"]}, "type": "string"},
    "kind": {"default": "calendar#calendarListEntry", "type": "string"},
    "location": {"type": "string"},
    "notificationSettings": {"properties": {"notifications": {"items": {"$ref": "CalendarNotification"}, "type": "array"}}, "type": "object"},
    "primary": {"default": "false", "type": "boolean"},
    "selected": {"default": "false", "type": "boolean"},
    "summary": {"type": "string"},
    "summaryOverride": {"type": "string"},
    "timeZone": {"type": "string"}
   },
   "type": "object"
  },
  "CalendarNotification": {"properties": {"method": {"type": "string"}, "type": {"type": "string"}}, "type": "object"},
  "ConferenceData": {
   "properties": {
    "conferenceId": {"type": "string"},
    "conferenceSolution": {"$ref": "ConferenceSolution"},
    "createRequest": {"$ref": "CreateConferenceRequest"},
    "entryPoints": {"items": {"$ref": "EntryPoint"}, "type": "array"},
    "notes": {"type": "string"},
    "parameters": {"$ref": "ConferenceParameters"},
    "signature": {"type": "string"}
   },
   "type": "object"
  },
  "ConferenceParameters": {"properties": {"addOnParameters": {"$ref": "ConferenceParametersAddOnParameters"}}, "type": "object"},
  "ConferenceParametersAddOnParameters": {"properties": {"parameters": {"additionalProperties": {"type": "string"}, "type": "object"}}, "type": "object"},
  "ConferenceProperties": {"properties": {"allowedConferenceSolutionTypes": {"items": {"type": "string"}, "type": "array"}}, "type": "object"},
  "ConferenceRequestStatus": {"properties": {"statusCode": {"type": "string"}}, "type": "object"},
  "ConferenceSolution": {"properties": {"iconUri": {"type": "string"}, "key": {"$ref": "ConferenceSolutionKey"}, "name": {"type": "string"}}, "type": "object"},
  "ConferenceSolutionKey": {"properties": {"type": {"type": "string"}}, "type": "object"},
  "CreateConferenceRequest": {
   "properties": {"conferenceSolutionKey": {"$ref": "ConferenceSolutionKey"}, "requestId": {"type": "string"}, "status": {"$ref": "ConferenceRequestStatus"}},
   "type": "object"
  },
  "EntryPoint": {
   "properties": {
    "accessCode": {"type": "string"},
    "entryPointFeatures": {"items": {"type": "string"}, "type": "array"},
    "entryPointType": {"type": "string"},
    "label": {"type": "string"},
    "meetingCode": {"type": "string"},
    "passcode": {"type": "string"},
    "password": {"type": "string"},
    "pin": {"type": "string"},
    "regionCode": {"type": "string"},
    "uri": {"type": "string"}
   },
   "type": "object"
  },
  "Error": {"properties": {"domain": {"type": "string"}, "reason": {"type": "string"}}, "type": "object"},
  "Event": {
   "properties": {
    "anyoneCanAddSelf": {"default": "false", "type": "boolean"},
    "attachments": {"items": {"$ref": "EventAttachment"}, "type": "array"},
    "attendees": {"items": {"$ref": "EventAttendee"}, "type": "array"},
    "attendeesOmitted": {"default": "false", "type": "boolean"},
    "birthdayProperties": {"$ref": "EventBirthdayProperties"},
    "colorId": {"type": "string"},
    "conferenceData": {"$ref": "ConferenceData"},
    "created": {"format": "date-time", "type": "string"},
    "creator": {
     "properties": {"displayName": {"type": "string"}, "email": {"type": "string"}, "id": {"type": "string"}, "self": {"default": "false", "type": "boolean"}},
     "type": "object"
    },
    "description": {"type": "string"},
    "end": {"$ref": "EventDateTime", "annotations": {"required": ["calendar.events.import", "calendar.events.insert", "calendar.events.update"]}},
    "endTimeUnspecified": {"default": "false", "type": "boolean"},
    "etag": {"type": "string"},
    "eventLabelId": {"type": "string"},
    "eventType": {"default": "default", "type": "string"},
    "extendedProperties": {
     "properties": {
      "private": {"additionalProperties": {"type": "string"}, "type": "object"},
      "shared": {"additionalProperties": {"type": "string"}, "type": "object"}
     },
     "type": "object"
    },
    "focusTimeProperties": {"$ref": "EventFocusTimeProperties"},
    "gadget": {
     "properties": {
      "display": {"type": "string"},
      "height": {"format": "int32", "type": "integer"},
      "iconLink": {"type": "string"},
      "link": {"type": "string"},
      "preferences": {"additionalProperties": {"type": "string"}, "type": "object"},
      "title": {"type": "string"},
      "type": {"type": "string"},
      "width": {"format": "int32", "type": "integer"}
     },
     "type": "object"
    },
    "guestsCanInviteOthers": {"default": "true", "type": "boolean"},
    "guestsCanModify": {"default": "false", "type": "boolean"},
    "guestsCanSeeOtherGuests": {"default": "true", "type": "boolean"},
    "hangoutLink": {"type": "string"},
    "htmlLink": {"type": "string"},
    "iCalUID": {"annotations": {"required": ["calendar.events.import"]}, "type": "string"},
    "id": {"type": "string"},
    "kind": {"default": "calendar#event", "type": "string"},
    "location": {"type": "string"},
    "locked": {"default": "false", "type": "boolean"},
    "organizer": {
     "properties": {"displayName": {"type": "string"}, "email": {"type": "string"}, "id": {"type": "string"}, "self": {"default": "false", "type": "boolean"}},
     "type": "object"
    },
    "originalStartTime": {"$ref": "EventDateTime"},
    "outOfOfficeProperties": {"$ref": "EventOutOfOfficeProperties"},
    "privateCopy": {"default": "false", "type": "boolean"},
    "recurrence": {"items": {"type": "string"}, "type": "array"},
    "recurringEventId": {"type": "string"},
    "reminders": {"properties": {"overrides": {"items": {"$ref": "EventReminder"}, "type": "array"}, "useDefault": {"type": "boolean"}}, "type": "object"},
    "sequence": {"format": "int32", "type": "integer"},
    "source": {"properties": {"title": {"type": "string"}, "url": {"type": "string"}}, "type": "object"},
    "start": {"$ref": "EventDateTime", "annotations": {"required": ["calendar.events.import", "calendar.events.insert", "calendar.events.update"]}},
    "status": {"type": "string"},
    "summary": {"type": "string"},
    "transparency": {"default": "opaque", "type": "string"},
    "updated": {"format": "date-time", "type": "string"},
    "visibility": {"default": "default", "type": "string"},
    "workingLocationProperties": {"$ref": "EventWorkingLocationProperties"}
   },
   "type": "object"
  },
  "EventAttachment": {
   "properties": {
    "fileId": {"type": "string"},
    "fileUrl": {"type": "string"},
    "iconLink": {"type": "string"},
    "mimeType": {"type": "string"},
    "title": {"type": "string"}
   },
   "type": "object"
  },
  "EventAttendee": {
   "properties": {
    "additionalGuests": {"default": "0", "format": "int32", "type": "integer"},
    "asyncOperation": {"default": "", "type": "string"},
    "comment": {"type": "string"},
    "displayName": {"type": "string"},
    "email": {"type": "string"},
    "id": {"type": "string"},
    "optional": {"default": "false", "type": "boolean"},
    "organizer": {"type": "boolean"},
    "resource": {"default": "false", "type": "boolean"},
    "responseStatus": {"type": "string"},
    "self": {"default": "false", "type": "boolean"}
   },
   "type": "object"
  },
  "EventBirthdayProperties": {
   "properties": {"contact": {"type": "string"}, "customTypeName": {"type": "string"}, "type": {"default": "birthday", "type": "string"}},
   "type": "object"
  },
  "EventDateTime": {
   "properties": {"date": {"format": "date", "type": "string"}, "dateTime": {"format": "date-time", "type": "string"}, "timeZone": {"type": "string"}},
   "type": "object"
  },
  "EventFocusTimeProperties": {"properties": {"autoDeclineMode": {"type": "string"}, "chatStatus": {"type": "string"}, "declineMessage": {"type": "string"}}, "type": "object"},
  "EventOutOfOfficeProperties": {"properties": {"autoDeclineMode": {"type": "string"}, "declineMessage": {"type": "string"}}, "type": "object"},
  "EventReminder": {"properties": {"method": {"type": "string"}, "minutes": {"format": "int32", "type": "integer"}}, "type": "object"},
  "EventWorkingLocationProperties": {
   "properties": {
    "customLocation": {"properties": {"label": {"type": "string"}}, "type": "object"},
    "homeOffice": {"type": "any"},
    "officeLocation": {
     "properties": {
      "buildingId": {"type": "string"},
      "deskId": {"type": "string"},
      "floorId": {"type": "string"},
      "floorSectionId": {"type": "string"},
      "label": {"type": "string"}
     },
     "type": "object"
    },
    "type": {"type": "string"}
   },
   "type": "object"
  },
  "Events": {
   "properties": {
    "accessRole": {"type": "string"},
    "defaultReminders": {"items": {"$ref": "EventReminder"}, "type": "array"},
    "description": {"type": "string"},
    "etag": {"type": "string"},
    "items": {"items": {"$ref": "Event"}, "type": "array"},
    "kind": {"default": "calendar#events", "type": "string"},
    "nextPageToken": {"type": "string"},
    "nextSyncToken": {"type": "string"},
    "summary": {"type": "string"},
    "timeZone": {"type": "string"},
    "updated": {"format": "date-time", "type": "string"}
   },
   "type": "object"
  },
  "FreeBusyCalendar": {
   "properties": {"busy": {"items": {"$ref": "TimePeriod"}, "type": "array"}, "errors": {"items": {"$ref": "Error"}, "type": "array"}},
   "type": "object"
  },
  "FreeBusyGroup": {
   "properties": {"calendars": {"items": {"type": "string"}, "type": "array"}, "errors": {"items": {"$ref": "Error"}, "type": "array"}},
   "type": "object"
  },
  "FreeBusyRequest": {
   "properties": {
    "calendarExpansionMax": {"format": "int32", "type": "integer"},
    "groupExpansionMax": {"format": "int32", "type": "integer"},
    "items": {"items": {"$ref": "FreeBusyRequestItem"}, "type": "array"},
    "timeMax": {"format": "date-time", "type": "string"},
    "timeMin": {"format": "date-time", "type": "string"},
    "timeZone": {"default": "UTC", "type": "string"}
   },
   "type": "object"
  },
  "FreeBusyRequestItem": {"properties": {"id": {"type": "string"}}, "type": "object"},
  "FreeBusyResponse": {
   "properties": {
    "calendars": {"additionalProperties": {"$ref": "FreeBusyCalendar"}, "type": "object"},
    "groups": {"additionalProperties": {"$ref": "FreeBusyGroup"}, "type": "object"},
    "kind": {"default": "calendar#freeBusy", "type": "string"},
    "timeMax": {"format": "date-time", "type": "string"},
    "timeMin": {"format": "date-time", "type": "string"}
   },
   "type": "object"
  },
  "TimePeriod": {"properties": {"end": {"format": "date-time", "type": "string"}, "start": {"format": "date-time", "type": "string"}}, "type": "object"}
 },
 "servicePath": "calendar/v3/",
 "version": "v3"
}
"""#
}
