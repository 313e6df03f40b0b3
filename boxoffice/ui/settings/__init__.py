"""Settings: venue profiles, API keys (through the keychain only) and the interface language."""
