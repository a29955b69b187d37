"""Commands around the build: preflight, doctor, watch and batch builds."""
