#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Raw mode for the console's terminal, and the promise to give the terminal back as it was: on a normal
/// end, at exit, on SIGINT/SIGTERM/SIGHUP and on the signals a crash raises (a trap, an abort, a bad
/// access). Otherwise a crashed Steward would leave the person's shell without echo.
enum TerminalMode {
    /// Written once before the handlers are installed and only read afterwards; a signal handler cannot
    /// take a lock, so this is plain global state.
    nonisolated(unsafe) private static var saved = termios()
    nonisolated(unsafe) private static var isRaw = false

    static func enterRaw() {
        guard isatty(0) != 0, tcgetattr(0, &saved) == 0 else { return }
        var raw = saved
        // No line buffering, no echo, no Ctrl-V literal; Enter arrives as CR and Ctrl-S/Ctrl-Q are keys.
        // ISIG stays on, so Ctrl-C still interrupts as it did before, and output processing stays on, so
        // "\n" still starts a new line.
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | IEXTEN)
        raw.c_iflag &= ~tcflag_t(ICRNL | IXON)
        withUnsafeMutableBytes(of: &raw.c_cc) { bytes in
            bytes[Int(VMIN)] = 1
            bytes[Int(VTIME)] = 0
        }
        guard tcsetattr(0, TCSAFLUSH, &raw) == 0 else { return }
        isRaw = true
        atexit { TerminalMode.restore() }
        for number in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT, SIGTRAP, SIGILL, SIGSEGV, SIGBUS] {
            signal(number) { received in
                TerminalMode.restore()
                // Then die of the same signal, as the program would have without this handler.
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    /// Puts the saved settings back; safe to call more than once and from a signal handler.
    static func restore() {
        guard isRaw else { return }
        isRaw = false
        tcsetattr(0, TCSANOW, &saved)
    }
}
