/// The shop's version, as its start is recorded in the audit log and `floodgate --version` prints it.
public enum FloodgateVersion {
    public static let current = "0.24.0"
}
