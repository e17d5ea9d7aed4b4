//! The instances of one function as `local start` runs them: started on first use, up to
//! `--concurrency` of them, each taking the function's `instanceConcurrency` requests at once.
//! A request holds a [`Lease`] on one instance for as long as it runs; an instance killed after
//! a timeout or over its memory, or one whose process died, is started again by the next lease.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

use super::Prepared;
use super::instance::{self, Instance};
use crate::error::Result;
use crate::ui::Ui;

pub(super) struct Pool {
    pub prepared: Prepared,
    /// One permit per request the pool can take at once: instances × instance concurrency.
    capacity: Arc<Semaphore>,
    per_instance: usize,
    state: Mutex<State>,
    /// Told whenever a lease ends, for [`Pool::retire`].
    released: Notify,
    ui: Ui,
}

struct State {
    slots: Vec<Arc<Slot>>,
    /// Set once the pool's code is replaced: no lease is handed out any more.
    retired: bool,
}

/// One instance's place in the pool; its process starts when a lease first needs it.
pub(super) struct Slot {
    /// Its place in the pool: the first instance may take the template's port.
    index: usize,
    /// Requests running on it now (changed only under the pool's lock when it grows).
    busy: AtomicUsize,
    instance: tokio::sync::Mutex<Option<Instance>>,
    /// The running process's pid (0 when none), for the memory watch and the report line.
    pid: AtomicU32,
    /// Keep-alive connections to the running process.
    connections: instance::Connections,
}

/// The pool was retired between finding it and asking it: ask the current one.
pub(super) struct Retired;

/// A request's claim on one instance.
pub(super) struct Lease {
    pool: Arc<Pool>,
    slot: Arc<Slot>,
    _permit: OwnedSemaphorePermit,
}

impl Pool {
    pub fn new(prepared: Prepared, max_instances: usize, ui: &Ui) -> Arc<Pool> {
        let per_instance = prepared.settings.instance_concurrency.max(1);
        let max_instances = max_instances.max(1);
        Arc::new(Pool {
            capacity: Arc::new(Semaphore::new(max_instances * per_instance)),
            per_instance,
            prepared,
            state: Mutex::new(State {
                slots: Vec::new(),
                retired: false,
            }),
            released: Notify::new(),
            ui: ui.clone(),
        })
    }

    pub fn name(&self) -> &str {
        &self.prepared.settings.function_name
    }

    /// Waits until the pool can take one more request, then picks its instance: the first one
    /// with room (FC fills an instance up to its concurrency before it scales out), else a new
    /// one.
    pub async fn lease(self: &Arc<Self>) -> std::result::Result<Lease, Retired> {
        let permit = self
            .capacity
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Retired)?;
        let mut state = self.state.lock().expect("the pool lock is never poisoned");
        if state.retired {
            return Err(Retired);
        }
        let slot = match state
            .slots
            .iter()
            .find(|slot| slot.busy.load(Ordering::SeqCst) < self.per_instance)
        {
            Some(slot) => slot.clone(),
            None => {
                // The permits bound the requests, so a full pool never gets here.
                let slot = Arc::new(Slot {
                    index: state.slots.len(),
                    busy: AtomicUsize::new(0),
                    instance: tokio::sync::Mutex::new(None),
                    pid: AtomicU32::new(0),
                    connections: instance::Connections::default(),
                });
                state.slots.push(slot.clone());
                slot
            }
        };
        slot.busy.fetch_add(1, Ordering::SeqCst);
        Ok(Lease {
            pool: self.clone(),
            slot,
            _permit: permit,
        })
    }

    /// Kills every instance whose process is over the function's memory size, as FC does.
    pub async fn enforce_memory(&self) {
        let limit = self.prepared.settings.memory_mb;
        for slot in self.slots() {
            let pid = slot.pid.load(Ordering::SeqCst);
            if pid == 0 {
                continue;
            }
            // A container's memory is the engine's to limit: it has no pid here.
            let Some(used) = instance::memory_of(pid, "VmRSS:") else {
                continue;
            };
            if used > limit as f64 {
                kill(
                    &slot,
                    &self.ui,
                    &format!("the function used {used:.1} MB, over its {limit} MB"),
                )
                .await;
            }
        }
    }

    fn slots(&self) -> Vec<Arc<Slot>> {
        self.state
            .lock()
            .expect("the pool lock is never poisoned")
            .slots
            .clone()
    }

    /// Hands out no more leases, waits for the requests in flight to finish, then stops the
    /// instances.
    pub async fn retire(&self) {
        self.state
            .lock()
            .expect("the pool lock is never poisoned")
            .retired = true;
        loop {
            let notified = self.released.notified();
            tokio::pin!(notified);
            // Registered before the count is read, so a lease ending in between is not missed.
            notified.as_mut().enable();
            if self
                .slots()
                .iter()
                .all(|slot| slot.busy.load(Ordering::SeqCst) == 0)
            {
                break;
            }
            notified.await;
        }
        self.stop().await;
    }

    /// Stops every instance (SIGTERM, then SIGKILL if it lingers).
    pub async fn stop(&self) {
        let slots = std::mem::take(
            &mut self
                .state
                .lock()
                .expect("the pool lock is never poisoned")
                .slots,
        );
        for slot in slots {
            if let Some(instance) = slot.instance.lock().await.take() {
                slot.pid.store(0, Ordering::SeqCst);
                slot.connections.clear();
                instance.stop().await;
            }
        }
    }
}

/// Kills a slot's instance (after a timeout or over its memory); the next lease starts another.
async fn kill(slot: &Slot, ui: &Ui, why: &str) {
    if let Some(instance) = slot.instance.lock().await.take() {
        slot.pid.store(0, Ordering::SeqCst);
        slot.connections.clear();
        ui.warn(format!("{why}; the bootstrap was killed and starts again"));
        instance.kill().await;
    }
}

impl Lease {
    pub fn prepared(&self) -> &Prepared {
        &self.pool.prepared
    }

    /// The instance's address, starting it first if it is not running (first use, killed, or
    /// its process died).
    pub async fn address(&self) -> Result<SocketAddr> {
        let mut current = self.slot.instance.lock().await;
        if let Some(instance) = current.as_mut() {
            if instance.is_running().await {
                return Ok(instance.address);
            }
            self.pool.ui.warn("the bootstrap exited; starting it again");
            current.take();
            self.slot.pid.store(0, Ordering::SeqCst);
            self.slot.connections.clear();
        }
        let prepared = &self.pool.prepared;
        // Only the first instance asks for the template's port; when something holds it (the
        // previous version's instance, another function's), it takes a free one like the others.
        let wanted = prepared.settings.port.filter(|_| self.slot.index == 0);
        let (port, _) = instance::choose_port(wanted)?;
        let started = prepared.start_instance_at(port, &self.pool.ui).await?;
        let address = started.address;
        self.slot.pid.store(started.local_pid(), Ordering::SeqCst);
        *current = Some(started);
        Ok(address)
    }

    /// Sends `request` to the instance at `address` (from [`Lease::address`]) on a kept-alive
    /// connection.
    pub async fn send(
        &self,
        address: SocketAddr,
        request: hyper::Request<http_body_util::Full<bytes::Bytes>>,
    ) -> std::result::Result<instance::Answer, String> {
        self.slot.connections.send(address, request).await
    }

    /// Kills this lease's instance, as FC does after a timeout.
    pub async fn kill(&self, why: &str) {
        kill(&self.slot, &self.pool.ui, why).await;
    }

    /// Peak resident memory of the instance's process so far, in MB (unknown for a container).
    pub fn max_memory_mb(&self) -> Option<f64> {
        match self.slot.pid.load(Ordering::SeqCst) {
            0 => None,
            pid => instance::memory_of(pid, "VmHWM:"),
        }
    }

    /// The log of the instance this lease runs on.
    pub async fn log(&self) -> Option<Arc<instance::Log>> {
        self.slot
            .instance
            .lock()
            .await
            .as_ref()
            .map(|i| i.log.clone())
    }

    /// Whether other requests can run on this instance at the same time as this one.
    pub fn shared(&self) -> bool {
        self.pool.per_instance > 1
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.slot.busy.fetch_sub(1, Ordering::SeqCst);
        self.pool.released.notify_one();
    }
}

/// How often the memory of the running instances is looked at (as `local invoke` looks).
pub(super) const MEMORY_WATCH: Duration = Duration::from_millis(10);
