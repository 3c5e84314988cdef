//! Running an administrative command as the operator and printing its outcome: a short
//! human summary, or JSON with `--json`. The service decides and checks everything; this
//! module only reads passwords and prints. Knows nothing of HTTP or of a backend.

use super::{Command, PasswordSource, TeamCommand, UserCommand, read_password};
use crate::access::Requester;
use crate::error::{Result, ServerError};
use crate::service::{Service, UserChange};
use fieldbook_core::protocol::{DeactivateRequest, NewUser, ReassignRequest, Role};
use serde::Serialize;
use std::io::Write;

pub(super) fn json_out<T: Serialize>(out: &mut dyn Write, value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| ServerError::Damaged(format!("cannot print JSON: {e}")))?;
    writeln!(out, "{text}").map_err(ServerError::io("standard output"))
}

pub(super) fn line(out: &mut dyn Write, text: impl AsRef<str>) -> Result<()> {
    writeln!(out, "{}", text.as_ref()).map_err(ServerError::io("standard output"))
}

/// Runs an administrative command (anything but `serve`) as the operator.
pub fn run_admin(service: &Service, command: &Command, out: &mut dyn Write) -> Result<()> {
    let by = Requester::Operator;
    match command {
        Command::Serve(_) | Command::Restore { .. } | Command::Migrate { .. } => Err(ServerError::BadRequest(
            "`serve`, `restore` and `migrate` are run by the binary on the data, not as admin commands"
                .into(),
        )),
        Command::User(UserCommand::Add {
            name,
            role,
            team,
            password_stdin,
        }) => {
            // Nobody is asked for the password of a user that cannot be added.
            service.check_new_user(&by, name, (*role).into(), team.as_deref())?;
            let source = if *password_stdin {
                PasswordSource::Stdin
            } else {
                PasswordSource::EnvOrPrompt
            };
            let password = read_password(name, source)?;
            let user = service.add_user(
                &by,
                NewUser {
                    name: name.clone(),
                    role: (*role).into(),
                    team: team.clone(),
                    password,
                },
            )?;
            line(
                out,
                format!(
                    "added {} ({}{})",
                    user.name,
                    user.role.as_str(),
                    user.team
                        .as_deref()
                        .map(|t| format!(", team {t}"))
                        .unwrap_or_default()
                ),
            )
        }
        Command::User(UserCommand::Set {
            name,
            role,
            team,
            no_team,
            password_stdin,
        }) => {
            if role.is_none() && team.is_none() && !*no_team && !*password_stdin {
                return Err(ServerError::BadRequest(
                    "nothing to change: give --role, --team, --no-team or --password-stdin".into(),
                ));
            }
            let password = if *password_stdin {
                Some(read_password(name, PasswordSource::Stdin)?)
            } else {
                None
            };
            let change = UserChange {
                role: role.map(Role::from),
                team: if *no_team {
                    Some(None)
                } else {
                    team.clone().map(Some)
                },
                password,
            };
            let u = service.update_user(&by, name, change)?;
            line(
                out,
                format!(
                    "{}: {}, team {}",
                    u.name,
                    u.role.as_str(),
                    u.team.as_deref().unwrap_or("none")
                ),
            )
        }
        Command::User(UserCommand::List { json }) => {
            let users = service.users(&by)?;
            if *json {
                return json_out(out, &users);
            }
            for u in users {
                let mut state = match (&u.active, &u.successor) {
                    (true, _) => String::new(),
                    (false, Some(s)) => format!("  deactivated (successor {s})"),
                    (false, None) => "  deactivated".into(),
                };
                if u.locked {
                    state.push_str("  locked (`user unlock` lets them sign in)");
                }
                line(
                    out,
                    format!(
                        "{:<20} {:<8} {}{state}",
                        u.name,
                        u.role.as_str(),
                        u.team.as_deref().unwrap_or("-")
                    ),
                )?;
            }
            Ok(())
        }
        Command::User(UserCommand::Unlock { name, json }) => {
            let done = service.unlock(&by, name)?;
            if *json {
                return json_out(out, &done);
            }
            line(
                out,
                if done.was_locked {
                    format!(
                        "unlocked {} ({} failed sign-ins forgotten)",
                        done.user, done.failures
                    )
                } else {
                    format!(
                        "{} was not locked ({} failed sign-ins forgotten)",
                        done.user, done.failures
                    )
                },
            )
        }
        Command::Revoke { device, json } => {
            let done = service.revoke_device(&by, *device)?;
            if *json {
                return json_out(out, &done);
            }
            line(
                out,
                if done.revoked > 0 {
                    format!(
                        "revoked {}'s device {}: its token is refused from now on",
                        done.user, done.device_id
                    )
                } else {
                    format!(
                        "{}'s device {} had no token left to revoke",
                        done.user, done.device_id
                    )
                },
            )
        }
        Command::Team(TeamCommand::Add { team, manager }) => {
            let t = service.add_team(&by, team, manager)?;
            line(
                out,
                format!(
                    "added team {} managed by {} ({} member(s))",
                    t.name,
                    manager,
                    t.members.len()
                ),
            )
        }
        Command::Team(TeamCommand::Set { team, manager }) => {
            let t = service.set_team_manager(&by, team, manager)?;
            line(
                out,
                format!(
                    "team {} is managed by {} now ({} member(s))",
                    t.name,
                    t.manager.as_deref().unwrap_or(manager),
                    t.members.len()
                ),
            )
        }
        Command::Team(TeamCommand::List { json }) => {
            let teams = service.teams(&by)?;
            if *json {
                return json_out(out, &teams);
            }
            for t in teams {
                line(
                    out,
                    format!(
                        "{:<20} manager {:<16} members {}",
                        t.name,
                        t.manager.as_deref().unwrap_or("(none)"),
                        t.members.join(", ")
                    ),
                )?;
            }
            Ok(())
        }
        Command::Reassign {
            from,
            to,
            accounts,
            json,
        } => {
            let moved = service.reassign(
                &by,
                &ReassignRequest {
                    from: Some(from.clone()),
                    to: to.clone(),
                    accounts: accounts.clone(),
                },
            )?;
            if *json {
                return json_out(out, &moved);
            }
            line(
                out,
                format!(
                    "moved {} account(s), {} record(s) in all, from {from} to {to}",
                    moved.accounts, moved.records
                ),
            )
        }
        Command::Deactivate {
            name,
            successor,
            preview: true,
            json,
        } => {
            let p = service.preview_deactivate(
                &by,
                &DeactivateRequest {
                    user: name.clone(),
                    successor: successor.clone(),
                },
            )?;
            if *json {
                return json_out(out, &p);
            }
            let kinds: Vec<String> = p.kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
            line(
                out,
                format!(
                    "would move {} account(s), {} record(s) in all, from {name} to {successor}: {}",
                    p.accounts,
                    p.records,
                    kinds.join(", ")
                ),
            )?;
            for d in &p.devices_with_pending {
                line(
                    out,
                    format!(
                        "  {}'s device {} held {} unsynced change(s) at its last contact ({})",
                        d.user,
                        d.name,
                        d.pending,
                        d.last_sync.as_deref().unwrap_or("never synced")
                    ),
                )?;
            }
            line(out, "nothing changed: run it again without --preview")
        }
        Command::Deactivate {
            name,
            successor,
            preview: false,
            json,
        } => {
            let done = service.deactivate(
                &by,
                &DeactivateRequest {
                    user: name.clone(),
                    successor: successor.clone(),
                },
            )?;
            if *json {
                return json_out(out, &done);
            }
            line(
                out,
                format!(
                    "deactivated {name}: {} account(s), {} record(s) in all, went to {successor}; {} token(s) now only hand over",
                    done.accounts, done.records, done.tokens_revoked
                ),
            )?;
            if done.devices_with_pending.is_empty() {
                return line(
                    out,
                    "no device of theirs held unsynced changes at its last contact",
                );
            }
            line(
                out,
                "devices that held unsynced changes at their last contact:",
            )?;
            for d in done.devices_with_pending {
                line(
                    out,
                    format!(
                        "  {} {:<24} {} pending, last sync {}",
                        d.device_id,
                        d.name,
                        d.pending,
                        d.last_sync.as_deref().unwrap_or("never")
                    ),
                )?;
            }
            Ok(())
        }
        Command::Devices { user, json } => {
            let devices = service.devices(&by, user.as_deref())?;
            if *json {
                return json_out(out, &devices);
            }
            for d in devices {
                line(
                    out,
                    format!(
                        "{} {:<16} {:<24} last sync {:<26} pending {}  token {}{}{}",
                        d.device_id,
                        d.user,
                        d.name,
                        d.last_sync.as_deref().unwrap_or("never"),
                        d.pending,
                        d.token.map_or("-", |t| t.as_str()),
                        d.expires_at
                            .as_deref()
                            .map(|e| format!(" (expires {e})"))
                            .unwrap_or_default(),
                        if d.wiped { "  wiped" } else { "" }
                    ),
                )?;
            }
            Ok(())
        }
        Command::Backup { out: file } => {
            let backup = service.backup(file)?;
            line(
                out,
                format!(
                    "backed up {:.1} MB to {}\nto restore it: {}",
                    backup.bytes as f64 / 1e6,
                    backup.path.display(),
                    backup.restore
                ),
            )
        }
        Command::Quarantine(q) => super::quarantine::run(service, &by, q, out),
    }
}
