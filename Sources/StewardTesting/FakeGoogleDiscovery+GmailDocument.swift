// A trimmed copy of Google's discovery document for Gmail v1 (revision 20261005), as shipped by
// google-api-python-client 2.202.0 in googleapiclient/discovery_cache/documents/gmail.v1.json:
// the global parameters, the methods the fake serves (users.getProfile, users.messages.list/get/modify,
// users.history.list, users.drafts.create/get/send/delete) with their scopes, and every schema they reach,
// descriptions removed. The fake checks each Gmail request against it (`FakeGoogleDiscovery`).
// Regenerate with Tests/Fixtures/google/trim-discovery.py; do not edit by hand.
enum FakeGoogleGmailDiscoveryDocument {
    static let json = #"""
{
 "name": "gmail",
 "parameters": {
  "$.xgafv": {"enum": ["1", "2"], "location": "query", "type": "string"},
  "access_token": {"location": "query", "type": "string"},
  "alt": {"default": "json", "enum": ["json", "media", "proto"], "location": "query", "type": "string"},
  "callback": {"location": "query", "type": "string"},
  "fields": {"location": "query", "type": "string"},
  "key": {"location": "query", "type": "string"},
  "oauth_token": {"location": "query", "type": "string"},
  "prettyPrint": {"default": "true", "location": "query", "type": "boolean"},
  "quotaUser": {"location": "query", "type": "string"},
  "uploadType": {"location": "query", "type": "string"},
  "upload_protocol": {"location": "query", "type": "string"}
 },
 "resources": {
  "users": {
   "methods": {
    "getProfile": {
     "httpMethod": "GET",
     "id": "gmail.users.getProfile",
     "parameters": {"userId": {"default": "me", "location": "path", "required": true, "type": "string"}},
     "path": "gmail/v1/users/{userId}/profile",
     "response": {"$ref": "Profile"},
     "scopes": [
      "https://mail.google.com/",
      "https://www.googleapis.com/auth/gmail.compose",
      "https://www.googleapis.com/auth/gmail.metadata",
      "https://www.googleapis.com/auth/gmail.modify",
      "https://www.googleapis.com/auth/gmail.readonly"
     ]
    }
   },
   "resources": {
    "drafts": {
     "methods": {
      "create": {
       "httpMethod": "POST",
       "id": "gmail.users.drafts.create",
       "parameters": {"userId": {"default": "me", "location": "path", "required": true, "type": "string"}},
       "path": "gmail/v1/users/{userId}/drafts",
       "request": {"$ref": "Draft"},
       "response": {"$ref": "Draft"},
       "scopes": [
        "https://mail.google.com/",
        "https://www.googleapis.com/auth/gmail.addons.current.action.compose",
        "https://www.googleapis.com/auth/gmail.compose",
        "https://www.googleapis.com/auth/gmail.modify"
       ]
      },
      "delete": {
       "httpMethod": "DELETE",
       "id": "gmail.users.drafts.delete",
       "parameters": {
        "id": {"location": "path", "required": true, "type": "string"},
        "userId": {"default": "me", "location": "path", "required": true, "type": "string"}
       },
       "path": "gmail/v1/users/{userId}/drafts/{id}",
       "scopes": [
        "https://mail.google.com/",
        "https://www.googleapis.com/auth/gmail.addons.current.action.compose",
        "https://www.googleapis.com/auth/gmail.compose",
        "https://www.googleapis.com/auth/gmail.modify"
       ]
      },
      "get": {
       "httpMethod": "GET",
       "id": "gmail.users.drafts.get",
       "parameters": {
        "format": {"default": "full", "enum": ["full", "metadata", "minimal", "raw"], "location": "query", "type": "string"},
        "id": {"location": "path", "required": true, "type": "string"},
        "userId": {"default": "me", "location": "path", "required": true, "type": "string"}
       },
       "path": "gmail/v1/users/{userId}/drafts/{id}",
       "response": {"$ref": "Draft"},
       "scopes": [
        "https://mail.google.com/",
        "https://www.googleapis.com/auth/gmail.compose",
        "https://www.googleapis.com/auth/gmail.modify",
        "https://www.googleapis.com/auth/gmail.readonly"
       ]
      },
      "send": {
       "httpMethod": "POST",
       "id": "gmail.users.drafts.send",
       "parameters": {"userId": {"default": "me", "location": "path", "required": true, "type": "string"}},
       "path": "gmail/v1/users/{userId}/drafts/send",
       "request": {"$ref": "Draft"},
       "response": {"$ref": "Message"},
       "scopes": [
        "https://mail.google.com/",
        "https://www.googleapis.com/auth/gmail.addons.current.action.compose",
        "https://www.googleapis.com/auth/gmail.compose",
        "https://www.googleapis.com/auth/gmail.modify"
       ]
      }
     }
    },
    "history": {
     "methods": {
      "list": {
       "httpMethod": "GET",
       "id": "gmail.users.history.list",
       "parameters": {
        "historyTypes": {"enum": ["messageAdded", "messageDeleted", "labelAdded", "labelRemoved"], "location": "query", "repeated": true, "type": "string"},
        "labelId": {"location": "query", "type": "string"},
        "maxResults": {"default": "100", "format": "uint32", "location": "query", "type": "integer"},
        "pageToken": {"location": "query", "type": "string"},
        "startHistoryId": {"format": "uint64", "location": "query", "type": "string"},
        "userId": {"default": "me", "location": "path", "required": true, "type": "string"}
       },
       "path": "gmail/v1/users/{userId}/history",
       "response": {"$ref": "ListHistoryResponse"},
       "scopes": [
        "https://mail.google.com/",
        "https://www.googleapis.com/auth/gmail.metadata",
        "https://www.googleapis.com/auth/gmail.modify",
        "https://www.googleapis.com/auth/gmail.readonly"
       ]
      }
     }
    },
    "messages": {
     "methods": {
      "get": {
       "httpMethod": "GET",
       "id": "gmail.users.messages.get",
       "parameters": {
        "format": {"default": "full", "enum": ["minimal", "full", "raw", "metadata"], "location": "query", "type": "string"},
        "id": {"location": "path", "required": true, "type": "string"},
        "metadataHeaders": {"location": "query", "repeated": true, "type": "string"},
        "userId": {"default": "me", "location": "path", "required": true, "type": "string"}
       },
       "path": "gmail/v1/users/{userId}/messages/{id}",
       "response": {"$ref": "Message"},
       "scopes": [
        "https://mail.google.com/",
        "https://www.googleapis.com/auth/gmail.addons.current.message.action",
        "https://www.googleapis.com/auth/gmail.addons.current.message.metadata",
        "https://www.googleapis.com/auth/gmail.addons.current.message.readonly",
        "https://www.googleapis.com/auth/gmail.metadata",
        "https://www.googleapis.com/auth/gmail.modify",
        "https://www.googleapis.com/auth/gmail.readonly"
       ]
      },
      "list": {
       "httpMethod": "GET",
       "id": "gmail.users.messages.list",
       "parameters": {
        "includeSpamTrash": {"default": "false", "location": "query", "type": "boolean"},
        "labelIds": {"location": "query", "repeated": true, "type": "string"},
        "maxResults": {"default": "100", "format": "uint32", "location": "query", "type": "integer"},
        "pageToken": {"location": "query", "type": "string"},
        "q": {"location": "query", "type": "string"},
        "userId": {"default": "me", "location": "path", "required": true, "type": "string"}
       },
       "path": "gmail/v1/users/{userId}/messages",
       "response": {"$ref": "ListMessagesResponse"},
       "scopes": [
        "https://mail.google.com/",
        "https://www.googleapis.com/auth/gmail.metadata",
        "https://www.googleapis.com/auth/gmail.modify",
        "https://www.googleapis.com/auth/gmail.readonly"
       ]
      },
      "modify": {
       "httpMethod": "POST",
       "id": "gmail.users.messages.modify",
       "parameters": {
        "id": {"location": "path", "required": true, "type": "string"},
        "userId": {"default": "me", "location": "path", "required": true, "type": "string"}
       },
       "path": "gmail/v1/users/{userId}/messages/{id}/modify",
       "request": {"$ref": "ModifyMessageRequest"},
       "response": {"$ref": "Message"},
       "scopes": ["https://mail.google.com/", "https://www.googleapis.com/auth/gmail.modify"]
      }
     }
    }
   }
  }
 },
 "revision": "20261005",
 "rootUrl": "https://gmail.googleapis.com/",
 "schemas": {
  "ClassificationLabelFieldValue": {"properties": {"fieldId": {"type": "string"}, "selection": {"type": "string"}}, "type": "object"},
  "ClassificationLabelValue": {"properties": {"fields": {"items": {"$ref": "ClassificationLabelFieldValue"}, "type": "array"}, "labelId": {"type": "string"}}, "type": "object"},
  "Draft": {
   "properties": {"id": {"annotations": {"required": ["gmail.users.drafts.send"]}, "type": "string"}, "message": {"$ref": "Message"}},
   "type": "object"
  },
  "History": {
   "properties": {
    "id": {"format": "uint64", "type": "string"},
    "labelsAdded": {"items": {"$ref": "HistoryLabelAdded"}, "type": "array"},
    "labelsRemoved": {"items": {"$ref": "HistoryLabelRemoved"}, "type": "array"},
    "messages": {"items": {"$ref": "Message"}, "type": "array"},
    "messagesAdded": {"items": {"$ref": "HistoryMessageAdded"}, "type": "array"},
    "messagesDeleted": {"items": {"$ref": "HistoryMessageDeleted"}, "type": "array"}
   },
   "type": "object"
  },
  "HistoryLabelAdded": {"properties": {"labelIds": {"items": {"type": "string"}, "type": "array"}, "message": {"$ref": "Message"}}, "type": "object"},
  "HistoryLabelRemoved": {"properties": {"labelIds": {"items": {"type": "string"}, "type": "array"}, "message": {"$ref": "Message"}}, "type": "object"},
  "HistoryMessageAdded": {"properties": {"message": {"$ref": "Message"}}, "type": "object"},
  "HistoryMessageDeleted": {"properties": {"message": {"$ref": "Message"}}, "type": "object"},
  "ListHistoryResponse": {
   "properties": {
    "history": {"items": {"$ref": "History"}, "type": "array"},
    "historyId": {"format": "uint64", "type": "string"},
    "nextPageToken": {"type": "string"}
   },
   "type": "object"
  },
  "ListMessagesResponse": {
   "properties": {
    "messages": {"items": {"$ref": "Message"}, "type": "array"},
    "nextPageToken": {"type": "string"},
    "resultSizeEstimate": {"format": "uint32", "type": "integer"}
   },
   "type": "object"
  },
  "Message": {
   "properties": {
    "classificationLabelValues": {"items": {"$ref": "ClassificationLabelValue"}, "type": "array"},
    "historyId": {"format": "uint64", "type": "string"},
    "id": {"type": "string"},
    "internalDate": {"format": "int64", "type": "string"},
    "labelIds": {"items": {"type": "string"}, "type": "array"},
    "payload": {"$ref": "MessagePart"},
    "raw": {"annotations": {"required": ["gmail.users.messages.insert", "gmail.users.messages.send"]}, "format": "byte", "type": "string"},
    "sizeEstimate": {"format": "int32", "type": "integer"},
    "snippet": {"type": "string"},
    "threadId": {"type": "string"}
   },
   "type": "object"
  },
  "MessagePart": {
   "properties": {
    "body": {"$ref": "MessagePartBody"},
    "filename": {"type": "string"},
    "headers": {"items": {"$ref": "MessagePartHeader"}, "type": "array"},
    "mimeType": {"type": "string"},
    "partId": {"type": "string"},
    "parts": {"items": {"$ref": "MessagePart"}, "type": "array"}
   },
   "type": "object"
  },
  "MessagePartBody": {
   "properties": {"attachmentId": {"type": "string"}, "data": {"format": "byte", "type": "string"}, "size": {"format": "int32", "type": "integer"}},
   "type": "object"
  },
  "MessagePartHeader": {"properties": {"name": {"type": "string"}, "value": {"type": "string"}}, "type": "object"},
  "ModifyMessageRequest": {
   "properties": {
    "addClassificationLabels": {"items": {"$ref": "ClassificationLabelValue"}, "type": "array"},
    "addLabelIds": {"items": {"type": "string"}, "type": "array"},
    "removeClassificationLabelIds": {"items": {"type": "string"}, "type": "array"},
    "removeLabelIds": {"items": {"type": "string"}, "type": "array"}
   },
   "type": "object"
  },
  "Profile": {
   "properties": {
    "emailAddress": {"type": "string"},
    "historyId": {"format": "uint64", "type": "string"},
    "messagesTotal": {"format": "int32", "type": "integer"},
    "threadsTotal": {"format": "int32", "type": "integer"}
   },
   "type": "object"
  }
 },
 "servicePath": "",
 "version": "v1"
}
"""#
}
