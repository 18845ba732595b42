"""hemesim.report stage."""
