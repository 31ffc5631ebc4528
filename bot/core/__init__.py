"""The pure core: rules, triage, age arithmetic. Imports nothing from `telegram` or the store."""
