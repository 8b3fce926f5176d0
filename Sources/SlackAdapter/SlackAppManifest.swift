import StewardCore

/// The Slack app manifest for a new Steward app, made from the command catalogue: the scopes Steward's
/// calls need (`chat.postMessage`/`chat.update`/`chat.postEphemeral` → `chat:write`, `conversations.open`
/// → `im:write`, DMs → `im:history`, mentions → `app_mentions:read`, the slash command → `commands`), the
/// two events it handles, interactivity for the Approve buttons, and `/steward <command>`.
/// `deploy/slack-app-manifest.yaml` is this text; a test keeps them equal.
public enum SlackAppManifest {
    public static let placeholderURL = "https://steward.example.org"

    public static func yaml(commands: [ChatCommand] = ChatCommand.all) -> String {
        let names = commands.map(\.name)
        let hint = ["today", "free 30m tomorrow", "book Lunch friday 12:30"].filter { example in
            names.contains(String(example.prefix { $0 != " " }))
        } + (names.contains("help") ? ["help"] : [])
        let list = names.joined(separator: ", ")
        return """
            # Slack app manifest for Steward. At https://api.slack.com/apps?new_app=1 choose "From a manifest",
            # pick your workspace, paste this file, then install the app and copy the Bot User OAuth Token
            # (SLACK_BOT_TOKEN) and, under Basic Information, the Signing Secret (SLACK_SIGNING_SECRET)
            # into bot.env — or run `steward setup`.
            # Replace \(placeholderURL) with your STEWARD_PUBLIC_URL (Slack must reach it over https).
            # Without a public URL: set socket_mode_enabled to true, create an app-level token with the
            # connections:write scope (SLACK_APP_TOKEN, xapp-…), and the URLs below are not used.
            # /steward takes every command of this build: \(list).
            # Generated from Steward's command catalogue (SlackAppManifest); a test keeps this file in step.
            display_information:
              name: Steward
              description: Your calendars and mail in Slack; nothing changes without your Approve.
            features:
              app_home:
                home_tab_enabled: false
                messages_tab_enabled: true
                messages_tab_read_only_enabled: false
              bot_user:
                display_name: Steward
                always_online: true
              slash_commands:
                - command: /steward
                  url: \(placeholderURL)/slack/commands
                  description: Ask Steward, e.g. /steward free 30m tomorrow
                  usage_hint: "\(hint.joined(separator: " | "))"
                  should_escape: false
            oauth_config:
              scopes:
                bot:
                  - app_mentions:read
                  - chat:write
                  - commands
                  - im:history
                  - im:write
            settings:
              event_subscriptions:
                request_url: \(placeholderURL)/slack/events
                bot_events:
                  - app_mention
                  - message.im
              interactivity:
                is_enabled: true
                request_url: \(placeholderURL)/slack/interactive
              org_deploy_enabled: false
              socket_mode_enabled: false
              token_rotation_enabled: false

            """
    }
}
