//! Integration tests of the sync server: the real router over real storage on a free port,
//! driven through HTTP as devices and admins would; the binary for the command line.

mod admin;
mod auth;
mod cli;
mod conformance;
mod limits;
mod pull;
mod push;
mod records;
mod reports;
mod support;
mod team;
mod tls;
mod trust;
mod web;
