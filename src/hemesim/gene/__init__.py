"""hemesim.gene stage."""
