"""Writers: one module per output format, each taking the model and returning bytes."""
