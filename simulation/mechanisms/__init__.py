"""The mechanisms of the model (docs/ODD.md, section 7), one module each (M1-M12)."""
