"""WTForms classes, one module per journey step or console; validation messages are instructions."""
