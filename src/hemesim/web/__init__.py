"""hemesim.web stage."""
