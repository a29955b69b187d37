"""What the command line and the desk do, as functions of plain values that return results."""
