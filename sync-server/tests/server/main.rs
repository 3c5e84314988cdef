//! Integration tests of the sync server: the real router over real storage on a free port,
//! driven through HTTP as devices and admins would; the binary for the command line.

mod admin;
mod auth;
mod cli;
mod cli_guard;
mod conformance;
mod guard;
mod limits;
mod matrix;
mod pull;
mod push;
mod reports;
mod slow;
mod support;
mod team;
mod tls;
mod trust;
mod web;
