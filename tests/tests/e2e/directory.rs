//! Directory tests (being written).
