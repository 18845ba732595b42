"""hemesim.phenotype stage."""
