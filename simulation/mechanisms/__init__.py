"""The mechanisms of DESIGN.md section 4, one module each (M1-M12)."""
