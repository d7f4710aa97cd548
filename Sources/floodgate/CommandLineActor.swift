import FloodgateStore
import Foundation

extension Actor {
    /// Whoever runs this `floodgate` command, as the audit log names them: the operating-system account (from the
    /// system, not from `$USER`, which a caller sets as they like), and `sudo`'s caller when there is one.
    static var operatorOnThisMachine: Actor {
        var name = getpwuid(getuid()).flatMap { String(validatingCString: $0.pointee.pw_name) } ?? "uid \(getuid())"
        if let caller = ProcessInfo.processInfo.environment["SUDO_USER"], !caller.isEmpty, caller != name {
            name += " (sudo by \(caller))"
        }
        return Actor.commandLine(user: name)
    }
}
