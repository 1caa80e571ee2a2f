"""基层治理案例库 (casebook): records → validate → corpus → site, search, courses."""

__version__ = "0.1.0"
