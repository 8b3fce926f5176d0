#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether the terminal chat would have nothing to read: under systemd (stdin `/dev/null` by default), in
/// `docker run` without `-i`, or with stdin closed. There `steward run` without a chat platform used to
/// read end-of-file at once and exit 0 — a silent restart loop — so it refuses to start instead.
///
/// A pipe or a non-empty file is a scripted console session (`printf '/today\n' | steward`, the README's
/// promise) and keeps working, even when empty; only a closed stdin, a character device that is not a
/// terminal (`/dev/null`), or an empty regular file count as "no terminal". Decided with `fstat`, without
/// reading a byte, so a script's first line is never consumed.
enum HeadlessStart {
    static var stdinHasNothingToRead: Bool {
        var info = stat()
        guard fstat(0, &info) == 0 else { return true }
        let type = info.st_mode & S_IFMT
        if type == S_IFCHR { return isatty(0) == 0 }
        if type == S_IFREG { return info.st_size == 0 }
        return false
    }

    /// The one line `steward run` prints before exiting 2.
    static let message = "no chat platform is configured and there is no terminal to chat in: set TELEGRAM_BOT_TOKEN, "
        + "SLACK_BOT_TOKEN or MATRIX_HOMESERVER_URL in bot.env (`steward setup` writes it), or run `steward` in a terminal"
}
