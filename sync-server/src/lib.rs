//! # fieldbook-server (being written)
