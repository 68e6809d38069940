//! `Client.bulk` / `AsyncClient.bulk`: many calls of one operation through the core's bulk
//! runner (bounded concurrency, input order kept, a failed item never stops the others,
//! mutating calls never replayed). Items are dicts of the operation's keyword arguments; they
//! go to the core as JSON with vendor field names, and each result comes back as the core
//! encodes it (vendor names, unknown fields kept).

use crate::completions::Origin;
use crate::convert::{self, ToPy};
use crate::errors;
use cpaas_reseller::bulk::{
    self, reconcile, BulkEvent, BulkOptions, BulkOutcome, Progress, StopSignal,
};
use cpaas_reseller::{Client as CoreClient, Error, OPERATIONS};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use serde_json::{Map, Value};

/// Counters passed to `on_progress` after each finished item.
#[pyclass(frozen, module = "cpaas_reseller", get_all)]
pub(crate) struct BulkProgress {
    done: usize,
    total: usize,
    succeeded: usize,
    already_applied: usize,
    failed: usize,
    outcome_unknown: usize,
}

#[pymethods]
impl BulkProgress {
    fn __repr__(&self) -> String {
        format!(
            "BulkProgress(done={}, total={}, succeeded={}, already_applied={}, failed={}, \
             outcome_unknown={})",
            self.done,
            self.total,
            self.succeeded,
            self.already_applied,
            self.failed,
            self.outcome_unknown
        )
    }
}

impl From<Progress> for BulkProgress {
    fn from(progress: Progress) -> Self {
        Self {
            done: progress.done,
            total: progress.total,
            succeeded: progress.succeeded,
            already_applied: progress.already_applied,
            failed: progress.failed,
            outcome_unknown: progress.outcome_unknown,
        }
    }
}

/// What happened to one item: `status` is `applied`, `already_applied` (by an earlier run or
/// found on the service: nothing sent now), `failed`, `outcome_unknown` (a mutating call that
/// may have been applied: run again with the journal to resolve it) or `not_started`.
#[pyclass(frozen, module = "cpaas_reseller", name = "BulkOutcome", get_all)]
pub(crate) struct BulkOutcomeItem {
    index: usize,
    status: &'static str,
    /// `AllocationId`, `UserId` or `AccountId` of what the row created, when known.
    id: Option<i64>,
    /// `journal` or `service` for `already_applied`, else `None`.
    source: Option<&'static str>,
    result: Py<PyAny>,
    error: Py<PyAny>,
}

#[pymethods]
impl BulkOutcomeItem {
    #[getter]
    fn ok(&self) -> bool {
        matches!(self.status, "applied" | "already_applied")
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "BulkOutcome(index={}, status='{}', id={}, result={}, error={})",
            self.index,
            self.status,
            self.id.map_or("None".to_owned(), |id| id.to_string()),
            self.result.bind(py).repr()?.to_cow()?,
            self.error.bind(py).repr()?.to_cow()?
        ))
    }
}

/// The journal, reconciliation and settle arguments of `bulk`.
pub(crate) struct Rerun {
    pub(crate) journal: Option<std::path::PathBuf>,
    pub(crate) reconcile: bool,
    pub(crate) settle: Option<f64>,
}

/// A bulk run ready to go: the vendor method, the JSON inputs, and what signals a stop.
pub(crate) struct Job {
    method: &'static str,
    items: Vec<Value>,
    options: BulkOptions,
    progress: Option<Py<PyAny>>,
}

impl Job {
    /// Checks the method (catalogue function name like `allocate_credit`, or vendor name like
    /// `AllocateCredit`) and converts the items; raises before anything is sent if an item is
    /// not a dict of JSON-able values.
    pub(crate) fn new(
        py: Python<'_>,
        method: &str,
        items: &Bound<'_, PyAny>,
        concurrency: usize,
        on_progress: Option<Py<PyAny>>,
        rerun: Rerun,
    ) -> PyResult<Self> {
        let Some(info) = OPERATIONS
            .iter()
            .find(|op| op.function == method || op.method == method)
        else {
            return Err(errors::validation(
                py,
                None,
                "method",
                format!("{method:?} is not an operation of the catalogue"),
            ));
        };
        let items = items
            .try_iter()?
            .map(|item| item.and_then(|item| input(info.method, &item)))
            .collect::<PyResult<Vec<_>>>()?;
        let mut options = BulkOptions::new(concurrency).with_reconcile(rerun.reconcile);
        if let Some(journal) = rerun.journal {
            options = options.with_journal(journal);
        }
        if let Some(settle) = rerun.settle {
            let settle = std::time::Duration::try_from_secs_f64(settle).map_err(|_| {
                errors::validation(
                    py,
                    None,
                    "settle",
                    format!("must be a number of seconds, 0 or more, got {settle}"),
                )
            })?;
            options = options.with_settle(settle);
        }
        // A journal repaired on opening is worth a Python warning.
        let options = options.with_on_event(|event| {
            if let BulkEvent::Warning(text) = event {
                Python::attach(|py| {
                    let category = py.get_type::<pyo3::exceptions::PyRuntimeWarning>();
                    let message =
                        std::ffi::CString::new(text.replace('\0', " ")).unwrap_or_default();
                    if let Err(error) = PyErr::warn(py, category.as_any(), &message, 1) {
                        error.write_unraisable(py, None);
                    }
                });
            }
        });
        Ok(Self {
            method: info.method,
            items,
            options,
            progress: on_progress,
        })
    }

    pub(crate) fn origin(&self) -> Origin {
        Origin::named(self.method)
    }

    pub(crate) fn stop_signal(&self) -> StopSignal {
        self.options.stop.clone()
    }

    /// Runs the job; `on_progress` is called with the GIL taken briefly after each item, and
    /// an exception it raises is reported as unraisable rather than stopping the run.
    pub(crate) async fn run(self, client: CoreClient) -> Outcomes {
        let callback = self.progress;
        let report = move |progress: Progress| {
            if let Some(callback) = &callback {
                Python::attach(|py| {
                    let result = Py::new(py, BulkProgress::from(progress))
                        .and_then(|progress| callback.call1(py, (progress,)));
                    if let Err(error) = result {
                        error.write_unraisable(py, Some(callback.bind(py)));
                    }
                });
            }
        };
        Outcomes(
            self.method,
            bulk::run_by_name(&client, self.method, self.items, self.options, report).await,
        )
    }
}

/// A dict of keyword arguments (`account_id`) or vendor fields (`AccountId`) as the JSON
/// object the core's `invoke` takes.
fn input(method: &'static str, item: &Bound<'_, PyAny>) -> PyResult<Value> {
    let dict = item.cast::<PyDict>().map_err(|_| {
        pyo3::exceptions::PyTypeError::new_err(format!(
            "{method}: each bulk item must be a dict of keyword arguments"
        ))
    })?;
    let mut object = Map::new();
    for (key, value) in dict.iter() {
        let key = key.cast::<PyString>()?.to_cow()?.into_owned();
        let vendor = if key.starts_with(|c: char| c.is_ascii_uppercase()) {
            key
        } else {
            convert::vendor_name(&key)
        };
        object.insert(vendor, convert::py_to_json(&value)?);
    }
    Ok(Value::Object(object))
}

/// The finished run, converted to a list of `BulkOutcome` when the interpreter is attached.
pub(crate) struct Outcomes(&'static str, Result<Vec<BulkOutcome<Value>>, Error>);

impl<'py> IntoPyObject<'py> for Outcomes {
    type Target = PyList;
    type Output = Bound<'py, PyList>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let method = self.0;
        let outcomes = self.1.map_err(|error| errors::to_py(py, &error))?;
        let items = outcomes
            .into_iter()
            .enumerate()
            .map(|(index, outcome)| {
                let status = outcome.status().as_str();
                let (id, source, result, error) = match outcome {
                    BulkOutcome::Succeeded(value) => (
                        reconcile::id_of(method, &value),
                        None,
                        value.to_py(py)?.unbind(),
                        py.None(),
                    ),
                    BulkOutcome::AlreadyApplied(found) => (
                        found.id,
                        Some(found.source.as_str()),
                        found.record.to_py(py)?.unbind(),
                        py.None(),
                    ),
                    BulkOutcome::Failed(error) => (
                        None,
                        None,
                        py.None(),
                        errors::to_py(py, &error).into_value(py).into_any(),
                    ),
                    BulkOutcome::NotStarted => (None, None, py.None(), py.None()),
                };
                Py::new(
                    py,
                    BulkOutcomeItem {
                        index,
                        status,
                        id,
                        source,
                        result,
                        error,
                    },
                )
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }
}
