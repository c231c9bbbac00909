"""The scenarios: one YAML file each (name, description, institutions), shipped with the package
as data and read by simulation.scenarios. A new file here is a new scenario."""
