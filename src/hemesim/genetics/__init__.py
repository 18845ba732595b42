"""hemesim.genetics stage."""
