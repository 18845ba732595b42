"""hemesim.variants stage."""
