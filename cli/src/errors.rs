//! Error messages for people at a terminal: the library's words, plus what to type next
//! (the library never names a command; this is where the hints live).

use fieldbook_client::{ClientError, RefProblem, Rule};
use fieldbook_core::CoreError;

const LOGIN: &str = "`fieldbook login URL USER`";

/// The message for an error of the client library.
pub fn message(e: &ClientError) -> String {
    match e {
        ClientError::NoStore(_) => {
            format!("{e}: run `fieldbook init --user YOUR_NAME` first (or pass --data-dir DIR)")
        }
        ClientError::AlreadyExists(_) => format!("{e}: use it, or pass another --data-dir"),
        ClientError::NotFound(_) => {
            format!("{e}: `fieldbook search TEXT` or `fieldbook list KIND` shows ids")
        }
        ClientError::AmbiguousId(_) => format!("{e}: type more of the id"),
        ClientError::BadReference { field, problem } => match problem {
            RefProblem::Missing { kind, .. } => {
                format!("{field}: {problem}: `fieldbook list {kind}` shows ids")
            }
            RefProblem::Deleted { id } => {
                format!("{field}: {problem}: `fieldbook restore {id}` first")
            }
            RefProblem::WrongKind { .. } => e.to_string(),
        },
        ClientError::Rule(rule) => match rule {
            Rule::LineNeedsPrice => "a quote line needs a price: add unit_price=... or product_id=... of a product with a price".into(),
            Rule::EmptyNote => format!("{e}: `fieldbook note ID \"what happened\"`"),
            Rule::NotesOnlyOnAccounts(_) => format!(
                "{e} (`fieldbook new activity account_id=... kind=note body=...`)"
            ),
            Rule::NotFilterable(field) => format!("`{field}` cannot be filtered on: use --search TEXT"),
            Rule::CurrencyDiffers { quote, .. } => format!(
                "{e}: give the line's price in {quote} (add unit_price=...)"
            ),
            Rule::ProductsAreForAdmins { .. } => format!(
                "{e} (the server would refuse it): ask an admin to add or change the product, \
                 or write the line's description and unit_price yourself"
            ),
            Rule::AccountMayExist { .. } => format!(
                "{e}. Attach the lead to one with `fieldbook convert LEAD --account ACCOUNT_ID`, \
                 or make a new account anyway with `--new-account`; nothing was changed"
            ),
            Rule::LeadWithoutCompany(id) => format!(
                "lead {id} has no company to name its account: `fieldbook convert {id} --account \
                 ACCOUNT_ID`, or `fieldbook set {id} company=\"...\"` first"
            ),
            Rule::AlreadyConverted { account, .. } => {
                format!("{e}: `fieldbook show {account}` shows it")
            }
            Rule::UnknownReminder(_) => {
                format!("{e}: `fieldbook reminders` lists them with their keys")
            }
            Rule::NotARenewal(_) => format!(
                "{e}: `fieldbook reminders dismiss KEY` or `snooze KEY --days N` for the others"
            ),
            Rule::BadSetting(_) => format!("{e} (`fieldbook settings` shows them)"),
            Rule::ContactOfAnotherAccount { account, .. } => format!(
                "{e}: `fieldbook list contact account_id={account}` shows the account's contacts"
            ),
            _ => e.to_string(),
        },
        ClientError::MissingColumn { field, .. } => format!(
            "{e}: say which column it is with --map \"COLUMN={field}\" (a header or a column number from 1); nothing was imported"
        ),
        ClientError::ImportStopped { line, .. } => format!(
            "{e}. The rows written stay; import the rows from line {line} on again (a file \
             without the rows above it), or rerun with --on-error skip"
        ),
        ClientError::NotYours { .. } => format!(
            "{e}: ask a manager (or the owner) to do it; nothing was changed"
        ),
        ClientError::NotMergeable(_) => format!(
            "{e} (`fieldbook duplicates` lists likely duplicate pairs); nothing was changed"
        ),
        ClientError::BadBundle { .. } => {
            format!("{e}: make one with `fieldbook bundle --out FILE`")
        }
        ClientError::DemoAlreadyAdded { .. } => format!(
            "{e}: give another --seed, or none for a new book each time; nothing was changed"
        ),
        ClientError::EmptyUserName => format!("{e}: `fieldbook init --user alice`"),
        ClientError::BadCurrency(_) => format!("{e}: use e.g. --currency EUR"),
        ClientError::BadServerUrl(url) => format!(
            "`{url}` is not a server address: use e.g. https://fieldbook.example.com or http://127.0.0.1:7070"
        ),
        ClientError::BadCaCert { path, why } => format!(
            "{} ({}) holds no PEM certificate: {why}",
            path.display(),
            fieldbook_client::sync::CA_CERT_ENV
        ),
        ClientError::StoreTooNew { found, known } => format!(
            "this store was written by a newer Fieldbook (store schema {found}, this program knows up to {known}): \
             install the newer fieldbook; nothing was changed"
        ),
        ClientError::Locked(_) => format!(
            "{e}: give it in {} or run the command in a terminal to type it",
            crate::secret::PASSPHRASE_ENV
        ),
        ClientError::WrongPassphrase => format!(
            "{e} (check {} if it is set); nothing was changed",
            crate::secret::PASSPHRASE_ENV
        ),
        ClientError::StoreWiped => {
            format!("{e}: `fieldbook init --user YOUR_NAME` makes a new store")
        }
        ClientError::NotLoggedIn => format!("{e}: run {LOGIN} first"),
        ClientError::WrongUser { given, .. } | ClientError::WrongServer { given, .. } => {
            let other = match e {
                ClientError::WrongUser { .. } => format!("user {given}"),
                _ => format!("server {given}"),
            };
            format!(
                "{e}. For the {other}, use another data directory (`fieldbook --data-dir DIR init \
                 --user NAME`, then login there), or `fieldbook reset` to delete this store from \
                 the device first (its changes must have reached its server); nothing was changed"
            )
        }
        ClientError::ChangesWaiting { .. } => format!(
            "{e}: `fieldbook sync` sends them first; `fieldbook reset --force` deletes the store \
             anyway and loses them; nothing was changed"
        ),
        ClientError::Offline { url, why } => format!(
            "cannot reach the server at {url} ({why}); nothing is lost: your changes stay on this \
             device and go up at the next `fieldbook sync`"
        ),
        ClientError::Unauthorized(_) => format!("{e}: run {LOGIN} again"),
        ClientError::Deactivated => {
            format!("{e} on the server: it accepts no more work from this user")
        }
        ClientError::Core(core) => match core {
            CoreError::RuleBroken { rule: "lost_needs_reason", .. } => "a lost opportunity needs a reason: add loss_reason=\"...\" (e.g. loss_reason=\"price too high\")".into(),
            CoreError::RuleBroken { rule: "no_parent_cycle", .. } => format!(
                "{e}: `fieldbook show ID` shows an account's parent_id; clear one with `fieldbook unset ID parent_id`"
            ),
            CoreError::RuleBroken { rule: "disqualified_needs_reason", .. } => "a disqualified lead needs a reason: add disqualify_reason=\"...\" (e.g. disqualify_reason=\"no budget\")".into(),
            CoreError::RuleBroken { rule: "resolved_needs_resolution", .. } => "a resolved case needs a resolution: add resolution=\"...\" (what was done)".into(),
            CoreError::RuleBroken { rule: "converted_needs_account", .. } => "a lead becomes converted by converting it: `fieldbook convert LEAD_ID` makes its account, contact and (with --opportunity) its deal".into(),
            CoreError::MissingRequired { field, .. } => format!("{e}: add {field}=..."),
            CoreError::UnknownLine(_) => format!("{e}: `fieldbook show QUOTE_ID` lists its lines"),
            CoreError::NoConflict(_) => {
                format!("{e}: `fieldbook conflicts ID` lists the open ones")
            }
            CoreError::NotEditable { why, .. } if why.contains("lead is converted") => {
                format!("{e}: `fieldbook convert LEAD_ID` writes it")
            }
            CoreError::NotEditable { field, .. } if field == "lines" => format!(
                "`{field}` cannot be changed here: use `fieldbook quote-line add|set|remove`"
            ),
            CoreError::NotEditable { field, .. }
                if field == "account_id" || field == "opportunity_id" =>
            {
                format!(
                    "`{field}` cannot be changed: a record stays under the record it was created \
                     under. To move it, create it again there (`fieldbook new KIND {field}=NEW_ID \
                     ...`) and delete this one (`fieldbook delete ID`); to give a whole account to \
                     another rep, a manager runs `fieldbook reassign ACCOUNT_ID --to USER`"
                )
            }
            CoreError::InvalidValue { expected, .. } => {
                match expected.strip_prefix("the id of a ") {
                    Some(kind) => format!("{e} (`fieldbook list {kind}` shows ids)"),
                    None => e.to_string(),
                }
            }
            _ => e.to_string(),
        },
        _ => e.to_string(),
    }
}
