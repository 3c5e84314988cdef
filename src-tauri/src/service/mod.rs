//! The app's background service: the sync engine on its own thread with its own
//! connection to the store, so that no command ever waits on the network or on a sync.
//! Commands wake it ([`Wake`]): after a local write (it syncs soon after), on "sync now",
//! after signing in or out. It syncs on its own schedule too (`schedule`), tells the
//! front-end what it pulled and how the sync stands through a [`Sink`], and stops, a
//! running sync cancelled, when the app exits.
//!
//! Knows nothing of the front-end's screens; nothing here holds the UI's store.

pub mod schedule;
pub mod status;

use fieldbook_client::{Cancel, ClientError, SyncEngine, SyncEvent};
use schedule::{Schedule, Timing};
use status::{SyncPhase, SyncProblem, SyncView};
use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// What wakes the sync thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wake {
    /// Something was written here: sync soon.
    LocalWrite,
    /// "Sync now".
    Now,
    /// A sign-in succeeded: sync at once, the last problem forgotten.
    SignedIn,
    /// Signed out: no more syncs until the next sign-in.
    SignedOut,
    Stop,
}

/// Where the sync thread reports to (the app's window, through events).
pub trait Sink: Send + 'static {
    /// Records a sync wrote, and those it removed (no longer visible to this user).
    fn records_changed(&self, ids: Vec<Uuid>, removed: Vec<Uuid>);
    /// The sync state changed.
    fn sync_changed(&self, view: &SyncView);
}

/// Changed ids are told at most this often during a long pull.
const FLUSH_EVERY: Duration = Duration::from_millis(250);
/// How long the app waits at exit for a cancelled sync to finish its transaction.
const STOP_WAIT: Duration = Duration::from_secs(5);

/// The running service (see the module documentation).
pub struct SyncService {
    wake: Sender<Wake>,
    shared: Arc<Shared>,
    done: Receiver<()>,
}

/// What the thread and the commands share.
struct Shared {
    view: Mutex<SyncView>,
    /// The running sync's cancel handle.
    cancel: Mutex<Cancel>,
}

impl Shared {
    fn view(&self) -> MutexGuard<'_, SyncView> {
        self.view.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl SyncService {
    /// Starts the service on the store in `dir` (its own connection).
    pub fn start(dir: &Path, sink: impl Sink, timing: Timing) -> Result<SyncService, ClientError> {
        let engine = SyncEngine::open(dir)?;
        let status = engine.store().sync_status()?;
        let signed_in = status.user.is_some();
        let shared = Arc::new(Shared {
            view: Mutex::new(SyncView::from_status(status, SyncPhase::Idle, None)),
            cancel: Mutex::new(Cancel::new()),
        });
        let (wake, rx) = mpsc::channel();
        let (done_tx, done) = mpsc::channel();
        let mut schedule = Schedule::new(timing);
        if signed_in {
            schedule.on_now(Instant::now());
        }
        let worker = Worker {
            engine,
            rx,
            shared: shared.clone(),
            sink,
            schedule,
        };
        std::thread::Builder::new()
            .name("sync".into())
            .spawn(move || {
                worker.run();
                let _ = done_tx.send(());
            })
            .map_err(|e| ClientError::Io {
                path: dir.to_path_buf(),
                source: e,
            })?;
        Ok(SyncService { wake, shared, done })
    }

    pub fn wake(&self, why: Wake) {
        let _ = self.wake.send(why);
    }

    /// The sync state now (no network).
    pub fn view(&self) -> SyncView {
        self.shared.view().clone()
    }

    /// Stops the running sync (what it finished is kept) and the thread.
    pub fn stop(&self) {
        self.cancel_running();
        let _ = self.wake.send(Wake::Stop);
        let _ = self.done.recv_timeout(STOP_WAIT);
    }

    /// Cancels the running sync, if any.
    pub fn cancel_running(&self) {
        self.shared
            .cancel
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .cancel();
    }
}

struct Worker<S: Sink> {
    engine: SyncEngine,
    rx: Receiver<Wake>,
    shared: Arc<Shared>,
    sink: S,
    schedule: Schedule,
}

impl<S: Sink> Worker<S> {
    fn run(mut self) {
        loop {
            let msg = match self.schedule.due() {
                Some(due) => self
                    .rx
                    .recv_timeout(due.saturating_duration_since(Instant::now())),
                None => self.rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            };
            let now = Instant::now();
            match msg {
                Ok(Wake::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Ok(Wake::LocalWrite) => {
                    self.schedule.on_write(now);
                    self.refresh(None);
                }
                Ok(Wake::Now) => self.schedule.on_now(now),
                Ok(Wake::SignedIn) => {
                    self.shared.view().problem = None;
                    self.schedule.on_now(now);
                    self.refresh(Some(SyncPhase::Idle));
                }
                Ok(Wake::SignedOut) => {
                    self.schedule.stop();
                    self.shared.view().problem = None;
                    self.refresh(Some(SyncPhase::SignedOut));
                }
                Err(RecvTimeoutError::Timeout) => self.sync_once(),
            }
        }
    }

    /// Reads the state from the store again and tells the front-end if it changed.
    fn refresh(&mut self, phase: Option<SyncPhase>) {
        let Ok(status) = self.engine.store().sync_status() else {
            return;
        };
        let mut view = self.shared.view();
        let next = SyncView::from_status(status, phase.unwrap_or(view.phase), view.problem.clone());
        if *view != next {
            *view = next.clone();
            drop(view);
            self.sink.sync_changed(&next);
        }
    }

    fn set_problem(&mut self, problem: Option<SyncProblem>, phase: SyncPhase) {
        self.shared.view().problem = problem;
        self.refresh(Some(phase));
    }

    fn sync_once(&mut self) {
        let cancel = Cancel::new();
        *self.shared.cancel.lock().unwrap_or_else(|e| e.into_inner()) = cancel.clone();
        self.refresh(Some(SyncPhase::Syncing));
        let mut changed: Vec<Uuid> = Vec::new();
        let mut removed: Vec<Uuid> = Vec::new();
        let mut flushed = Instant::now();
        let sink = &self.sink;
        let result = self.engine.sync(&cancel, &mut |event| {
            if let SyncEvent::Pulled {
                changed: c,
                removed: r,
                ..
            } = event
            {
                changed.extend(c);
                removed.extend(r);
                if flushed.elapsed() >= FLUSH_EVERY {
                    sink.records_changed(
                        std::mem::take(&mut changed),
                        std::mem::take(&mut removed),
                    );
                    flushed = Instant::now();
                }
            }
        });
        if !changed.is_empty() || !removed.is_empty() {
            self.sink.records_changed(changed, removed);
        }
        let now = Instant::now();
        match result {
            Ok(report) if report.wiped => {
                self.schedule.stop();
                self.set_problem(
                    SyncProblem::of(&ClientError::Deactivated),
                    SyncPhase::SignedOut,
                );
            }
            Ok(report) => {
                self.schedule.after_success(now);
                let problem = (!report.refused.is_empty()).then(|| SyncProblem {
                    kind: status::ProblemKind::AccessRefused,
                    detail: report
                        .refused
                        .first()
                        .map(|r| r.reason.clone())
                        .unwrap_or_default(),
                    refused: report.refused.len() as u64,
                });
                self.set_problem(problem, SyncPhase::Idle);
            }
            Err(ClientError::Cancelled) => self.refresh(Some(SyncPhase::Idle)),
            Err(e @ (ClientError::Offline { .. } | ClientError::PullInterrupted)) => {
                self.schedule.after_offline(now);
                self.set_problem(SyncProblem::of(&e), SyncPhase::Offline);
            }
            Err(e) => {
                // Waiting does not fix these: the user acts (signs in again, asks again).
                self.schedule.stop();
                let phase = match e {
                    ClientError::Unauthorized(_) | ClientError::Deactivated => SyncPhase::SignedOut,
                    _ => SyncPhase::Idle,
                };
                self.set_problem(SyncProblem::of(&e), phase);
            }
        }
    }
}
