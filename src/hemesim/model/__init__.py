"""hemesim.model stage."""
