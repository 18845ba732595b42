"""hemesim.cli stage."""
