"""hemesim.simulate stage."""
