//! The Python binding of `ecs-snapshot-rules`, kept thin: it reads what Python hands it (a
//! query string or URL, bytes, a dict in either JSON shape, or decoded name/value pairs),
//! asks the library, and hands back its verdict as Python objects. The shaping of the
//! official SDKs' request objects is done in Python (`ecs_snapshot_rules/_shape.py`).
//!
//! Nothing here panics on any input: every Python object either becomes a request, or a
//! `TypeError`/`ValueError` that says which value is wrong and why.

#![forbid(unsafe_code)]

use std::fmt::Write as _;

use ecs_snapshot_rules::rules::did_you_mean;
use ecs_snapshot_rules::state::{Accepted, NewSnapshot, TimestampError};
use ecs_snapshot_rules::{
    check_preconditions, parse_json, parse_pairs, parse_request, validate, violations, warnings,
    ApiError, CreateSnapshotRequest, ErrorCode, Facts as RuleFacts, ParseError, Timestamp,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType,
};

/// How deep a dict may nest before it is refused here. The JSON reader refuses more than
/// 128 levels with its own error; this bound only stops a dict that contains itself.
const MAX_DEPTH: usize = 256;

// ------------------------------------------------------------------------------------------
// Reading a request
// ------------------------------------------------------------------------------------------

/// A value that cannot stand in a request, and where it is (innermost key last).
struct Misfit {
    path: Vec<String>,
    error: PyErr,
}

impl Misfit {
    fn new(error: PyErr) -> Self {
        Misfit {
            path: Vec::new(),
            error,
        }
    }

    fn within(mut self, key: impl Into<String>) -> Self {
        self.path.push(key.into());
        self
    }

    /// The error, its message prefixed with the path of the value (`Tag[0].Key: ...`).
    fn into_pyerr(self, py: Python<'_>) -> PyErr {
        if self.path.is_empty() {
            return self.error;
        }
        let mut at = String::new();
        for part in self.path.iter().rev() {
            if part.starts_with('[') || at.is_empty() {
                at.push_str(part);
            } else {
                at.push('.');
                at.push_str(part);
            }
        }
        let message = self
            .error
            .value(py)
            .str()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if self.error.is_instance_of::<PyTypeError>(py) {
            PyTypeError::new_err(format!("{at}: {message}"))
        } else {
            PyValueError::new_err(format!("{at}: {message}"))
        }
    }
}

/// The text of a Python `str`, or a `ValueError` when it holds a lone surrogate (which no
/// UTF-8 request can carry).
fn text_of(value: &Bound<'_, PyString>) -> Result<String, Misfit> {
    match value.to_cow() {
        Ok(text) => Ok(text.into_owned()),
        Err(_) => Err(Misfit::new(PyValueError::new_err(
            "the text is not valid Unicode (it holds a lone surrogate), so it cannot be sent as UTF-8",
        ))),
    }
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "object".to_owned())
}

/// Appends `text` as a JSON string.
fn write_json_string(out: &mut String, text: &str) {
    // Writing a `str` as JSON cannot fail.
    out.push_str(&serde_json::to_string(text).unwrap_or_default());
}

/// Appends a Python value as JSON: `None`, `bool`, `int`, `float`, `str`, `dict` with `str`
/// keys, `list` and `tuple`. Anything else is a `TypeError` naming where it is.
fn write_json(value: &Bound<'_, PyAny>, out: &mut String, depth: usize) -> Result<(), Misfit> {
    if depth > MAX_DEPTH {
        return Err(Misfit::new(PyValueError::new_err(format!(
            "the request nests deeper than {MAX_DEPTH} levels (does a dict or list contain itself?)"
        ))));
    }
    if value.is_none() {
        out.push_str("null");
    } else if let Ok(text) = value.cast::<PyString>() {
        write_json_string(out, &text_of(text)?);
    } else if let Ok(flag) = value.cast::<PyBool>() {
        out.push_str(if flag.is_true() { "true" } else { "false" });
    } else if value.is_instance_of::<PyInt>() {
        if let Ok(number) = value.extract::<i64>() {
            let _ = write!(out, "{number}");
        } else {
            // Beyond 64 bits: the digits of the int itself (not of a subclass's str()).
            let digits = value
                .py()
                .get_type::<PyInt>()
                .call1((value,))
                .and_then(|exact| exact.str())
                .map_err(Misfit::new)?;
            out.push_str(&text_of(&digits)?);
        }
    } else if let Ok(number) = value.cast::<PyFloat>() {
        let number = number.value();
        if !number.is_finite() {
            return Err(Misfit::new(PyValueError::new_err(format!(
                "{number} is not a number JSON or the API can carry"
            ))));
        }
        out.push_str(
            &serde_json::Number::from_f64(number).map_or_else(String::new, |n| n.to_string()),
        );
    } else if let Ok(dict) = value.cast::<PyDict>() {
        out.push('{');
        for (index, (key, item)) in dict.iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            let Ok(name) = key.cast::<PyString>() else {
                return Err(Misfit::new(PyTypeError::new_err(format!(
                    "a key of {} is not a parameter name: keys must be str",
                    type_name(&key)
                ))));
            };
            let name = text_of(name).map_err(|m| m.within(format!("[{}]", index)))?;
            write_json_string(out, &name);
            out.push(':');
            write_json(&item, out, depth + 1).map_err(|m| m.within(name))?;
        }
        out.push('}');
    } else if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        out.push('[');
        for (index, item) in value.try_iter().map_err(Misfit::new)?.enumerate() {
            if index > 0 {
                out.push(',');
            }
            let item = item.map_err(Misfit::new)?;
            write_json(&item, out, depth + 1).map_err(|m| m.within(format!("[{index}]")))?;
        }
        out.push(']');
    } else {
        return Err(Misfit::new(PyTypeError::new_err(format!(
            "a {} cannot stand in a request: values are str, int, float, bool, None, dict, list or tuple",
            type_name(value)
        ))));
    }
    Ok(())
}

/// Decoded `(name, value)` pairs, both `str`.
fn read_pairs(items: &Bound<'_, PyAny>) -> Result<Vec<(String, String)>, Misfit> {
    let mut pairs = Vec::new();
    for (index, pair) in items.try_iter().map_err(Misfit::new)?.enumerate() {
        let pair = pair.map_err(Misfit::new)?;
        let at = |m: Misfit| m.within(format!("[{index}]"));
        let pair = pair
            .cast::<PyTuple>()
            .ok()
            .filter(|tuple| tuple.len() == 2)
            .ok_or_else(|| {
                at(Misfit::new(PyTypeError::new_err(format!(
                    "a pair is a (name, value) tuple of two str, not a {}",
                    type_name(&pair)
                ))))
            })?;
        let mut texts = [String::new(), String::new()];
        for (slot, part) in texts.iter_mut().zip(pair.iter()) {
            let part_text = part.cast::<PyString>().map_err(|_| {
                at(Misfit::new(PyTypeError::new_err(format!(
                    "a pair is a (name, value) tuple of two str; this one holds a {}",
                    type_name(&part)
                ))))
            })?;
            *slot = text_of(part_text).map_err(at)?;
        }
        let [name, value] = texts;
        pairs.push((name, value));
    }
    Ok(pairs)
}

/// A request read from Python: the request, or the API's answer to a request that cannot be
/// read (a parameter given twice, a bad percent-escape, another Action).
type Read = Result<CreateSnapshotRequest<'static>, ApiError>;

/// Reads a request: `str` or bytes (a query string, a URL, or JSON text), `dict` (JSON's two
/// shapes), or a `list`/`tuple` of `(name, value)` pairs.
fn read(request: &Bound<'_, PyAny>) -> PyResult<Read> {
    let py = request.py();
    let parsed: Result<CreateSnapshotRequest<'static>, ParseError> = if let Ok(dict) =
        request.cast::<PyDict>()
    {
        let mut json = String::with_capacity(512);
        write_json(dict.as_any(), &mut json, 0).map_err(|m| m.into_pyerr(py))?;
        parse_json(json.as_bytes()).map(CreateSnapshotRequest::into_owned)
    } else if let Ok(text) = request.cast::<PyString>() {
        let text = text_of(text).map_err(|m| m.into_pyerr(py))?;
        parse_request(text.as_bytes()).map(CreateSnapshotRequest::into_owned)
    } else if let Ok(bytes) = request.cast::<PyBytes>() {
        parse_request(bytes.as_bytes()).map(CreateSnapshotRequest::into_owned)
    } else if let Ok(bytes) = request.cast::<PyByteArray>() {
        parse_request(&bytes.to_vec()).map(CreateSnapshotRequest::into_owned)
    } else if request.is_instance_of::<PyList>() || request.is_instance_of::<PyTuple>() {
        parse_pairs(read_pairs(request).map_err(|m| m.into_pyerr(py))?)
    } else {
        return Err(PyTypeError::new_err(format!(
                "a request is a query string or URL (str or bytes), a dict, a list of (name, value) pairs, or an SDK request model; got a {}",
                type_name(request)
            )));
    };
    match parsed {
        Ok(request) => Ok(Ok(request)),
        Err(error) => match error.api_error() {
            Some(answer) => Ok(Err(answer)),
            None => Err(PyValueError::new_err(format!(
                "not a CreateSnapshot request: {error}"
            ))),
        },
    }
}

/// A str as Python's `repr` writes it: single quotes, or double quotes when the text has a
/// single quote and no double quote; backslash escapes for the quote, `\\` and controls.
fn quoted(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

fn quoted_or_none(text: Option<&str>) -> String {
    text.map_or_else(|| "None".to_owned(), quoted)
}

// ------------------------------------------------------------------------------------------
// The verdict
// ------------------------------------------------------------------------------------------

/// The exception class `ecs_snapshot_rules.ApiError` (defined in Python).
fn api_error_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    CLASS.import(py, "ecs_snapshot_rules._errors", "ApiError")
}

fn to_exception<'py>(py: Python<'py>, error: &ApiError) -> PyResult<Bound<'py, PyAny>> {
    api_error_class(py)?.call1((
        error.status(),
        error.code().as_str(),
        error.message(),
        error.parameter(),
    ))
}

/// One refusal of the API: HTTP status, error code, message, and the parameter it is about.
#[pyclass(frozen, module = "ecs_snapshot_rules", eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
struct Violation {
    error: ApiError,
}

#[pymethods]
impl Violation {
    /// The HTTP status the API answers with (400, 403, 404, 500 or 503).
    #[getter]
    fn status(&self) -> u16 {
        self.error.status()
    }

    /// The error code as the API spells it, e.g. `InvalidSnapshotName.Malformed`.
    #[getter]
    fn code(&self) -> &'static str {
        self.error.code().as_str()
    }

    /// The message as the API writes it, placeholders filled in.
    #[getter]
    fn message(&self) -> &str {
        self.error.message()
    }

    /// The parameter it is about, as named on the wire (e.g. `Tag.3.Key`), or None.
    #[getter]
    fn parameter(&self) -> Option<&str> {
        self.error.parameter()
    }

    /// The catalogue's row for this refusal: description and how to fix it.
    fn explain(&self) -> CatalogEntry {
        CatalogEntry {
            row: self.error.code(),
        }
    }

    /// This refusal as an `ecs_snapshot_rules.ApiError`, ready to raise.
    fn error<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_exception(py, &self.error)
    }

    /// The fields as a dict: `status`, `code`, `message`, `parameter`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item("status", self.status())?;
        dict.set_item("code", self.code())?;
        dict.set_item("message", self.message())?;
        dict.set_item("parameter", self.parameter())?;
        Ok(dict)
    }

    /// The API's JSON error body for this refusal, with the RequestId given: the body that
    /// `ecs-snapshot-rules serve` and the API send.
    fn json_body(&self, request_id: &str) -> String {
        self.error.json_body(request_id)
    }

    fn __repr__(&self) -> String {
        format!(
            "Violation(status={}, code={}, message={}, parameter={})",
            self.status(),
            quoted(self.code()),
            quoted(self.message()),
            quoted_or_none(self.parameter())
        )
    }
}

/// Something the API accepts but the caller most likely did not mean: an unknown parameter
/// (with a "did you mean"), a deprecated spelling, or a parameter without effect.
#[pyclass(frozen, module = "ecs_snapshot_rules", eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
struct RequestWarning {
    /// `UnknownParameter`, `DeprecatedParameter` or `IneffectiveParameter`.
    #[pyo3(get)]
    kind: &'static str,
    /// The parameter it is about, as spelled on the wire.
    #[pyo3(get)]
    parameter: String,
    /// What to write instead, when there is a better spelling.
    #[pyo3(get)]
    suggestion: Option<String>,
    /// One line for a person.
    #[pyo3(get)]
    message: String,
}

#[pymethods]
impl RequestWarning {
    fn __repr__(&self) -> String {
        format!(
            "RequestWarning(kind={}, parameter={}, suggestion={}, message={})",
            quoted(self.kind),
            quoted(&self.parameter),
            quoted_or_none(self.suggestion.as_deref()),
            quoted(&self.message)
        )
    }
}

/// What `check` answers: the verdict of the stateless rules, every violation in the order
/// the API checks them, and the warnings.
#[pyclass(frozen, module = "ecs_snapshot_rules")]
struct CheckResult {
    violations: Vec<ApiError>,
    warnings: Vec<RequestWarning>,
}

impl CheckResult {
    fn first(&self) -> Option<&ApiError> {
        self.violations.first()
    }
}

#[pymethods]
impl CheckResult {
    /// True when the API would accept the request (as far as the request alone can tell).
    #[getter]
    fn valid(&self) -> bool {
        self.violations.is_empty()
    }

    /// The HTTP status of the first refusal, or None for a valid request.
    #[getter]
    fn status(&self) -> Option<u16> {
        self.first().map(ApiError::status)
    }

    /// The error code of the first refusal, or None.
    #[getter]
    fn code(&self) -> Option<&'static str> {
        self.first().map(|e| e.code().as_str())
    }

    /// The message of the first refusal, or None.
    #[getter]
    fn message(&self) -> Option<&str> {
        self.first().map(ApiError::message)
    }

    /// The parameter of the first refusal, or None.
    #[getter]
    fn parameter(&self) -> Option<&str> {
        self.first().and_then(ApiError::parameter)
    }

    /// Every violation, the first being what the API answers.
    #[getter]
    fn violations<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            self.violations.iter().map(|error| Violation {
                error: error.clone(),
            }),
        )
    }

    /// The warnings, for a request that could be read.
    #[getter]
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.warnings.iter().cloned())
    }

    /// The first refusal as an `ecs_snapshot_rules.ApiError`, or None.
    #[getter]
    fn error<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.first().map(|e| to_exception(py, e)).transpose()
    }

    /// Raises the first refusal as an `ecs_snapshot_rules.ApiError`; does nothing for a
    /// valid request.
    fn raise_for_error(&self, py: Python<'_>) -> PyResult<()> {
        match self.first() {
            Some(error) => Err(PyErr::from_value(to_exception(py, error)?)),
            None => Ok(()),
        }
    }

    fn __bool__(&self) -> bool {
        self.valid()
    }

    fn __repr__(&self) -> String {
        match self.first() {
            None => format!("CheckResult(valid=True, warnings={})", self.warnings.len()),
            Some(error) => format!(
                "CheckResult(valid=False, status={}, code={}, message={}, parameter={}, violations={}, warnings={})",
                error.status(),
                quoted(error.code().as_str()),
                quoted(error.message()),
                quoted_or_none(error.parameter()),
                self.violations.len(),
                self.warnings.len()
            ),
        }
    }
}

/// Judges a request by every stateless rule: every violation in the API's order, and the
/// warnings.
#[pyfunction]
fn check(request: &Bound<'_, PyAny>) -> PyResult<CheckResult> {
    Ok(match read(request)? {
        Ok(request) => CheckResult {
            violations: violations(&request),
            warnings: warnings(&request)
                .iter()
                .map(|w| RequestWarning {
                    kind: w.kind().id(),
                    parameter: w.parameter().to_owned(),
                    suggestion: w.suggestion().map(str::to_owned),
                    message: w.message().to_owned(),
                })
                .collect(),
        },
        Err(answer) => CheckResult {
            violations: vec![answer],
            warnings: Vec::new(),
        },
    })
}

/// The first refusal of the stateless rules, or None: what the API answers.
#[pyfunction]
fn first_violation(request: &Bound<'_, PyAny>) -> PyResult<Option<Violation>> {
    Ok(match read(request)? {
        Ok(request) => validate(&request).err().map(|error| Violation { error }),
        Err(error) => Some(Violation { error }),
    })
}

// ------------------------------------------------------------------------------------------
// The stateful rules
// ------------------------------------------------------------------------------------------

/// The facts a request meets (account, disks, instances, volumes, resource groups,
/// ClientTokens), read once from JSON text or a dict in the format of `docs/STATEFUL.md`.
#[pyclass(frozen, module = "ecs_snapshot_rules")]
struct Facts {
    facts: RuleFacts,
}

#[pymethods]
impl Facts {
    /// Reads facts from JSON text (`str` or bytes) or a dict. Unknown fields are refused
    /// (`ValueError`), so that a typo is not a silently ignored fact.
    #[new]
    fn new(source: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = source.py();
        let text: String = if let Ok(text) = source.cast::<PyString>() {
            text_of(text).map_err(|m| m.into_pyerr(py))?
        } else if let Ok(bytes) = source.cast::<PyBytes>() {
            String::from_utf8(bytes.as_bytes().to_vec())
                .map_err(|_| PyValueError::new_err("the facts are not UTF-8 text"))?
        } else if source.is_instance_of::<PyDict>() {
            let mut json = String::new();
            write_json(source, &mut json, 0).map_err(|m| m.into_pyerr(py))?;
            json
        } else {
            return Err(PyTypeError::new_err(format!(
                "facts are JSON text (str or bytes) or a dict, not a {}",
                type_name(source)
            )));
        };
        let facts =
            RuleFacts::from_json(&text).map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok(Facts { facts })
    }

    /// The facts as JSON text, maps sorted by ID.
    fn to_json(&self) -> String {
        self.facts.to_json_pretty()
    }

    fn __repr__(&self) -> String {
        format!(
            "Facts(disks={}, instances={}, volumes={}, client_tokens={})",
            self.facts.disks.len(),
            self.facts.instances.len(),
            self.facts.volumes.len(),
            self.facts.client_tokens.len()
        )
    }
}

/// What `check_preconditions` answers: accepted (a new snapshot, or the replay of an earlier
/// answer to the same ClientToken) or refused, by a stateless or a stateful rule.
#[pyclass(frozen, module = "ecs_snapshot_rules")]
struct PreconditionResult {
    answer: Result<Accepted, ApiError>,
}

impl PreconditionResult {
    fn refusal(&self) -> Option<&ApiError> {
        self.answer.as_ref().err()
    }

    fn created(&self) -> Option<&NewSnapshot> {
        match &self.answer {
            Ok(Accepted::Create(new)) => Some(new),
            _ => None,
        }
    }

    /// A serde name (`"disk"`, `"instant_access"`) of a value the library writes as JSON.
    fn serde_name(value: &impl serde::Serialize) -> Option<String> {
        match serde_json::to_value(value).ok()? {
            serde_json::Value::String(name) => Some(name),
            serde_json::Value::Object(map) => map.keys().next().cloned(),
            _ => None,
        }
    }
}

#[pymethods]
impl PreconditionResult {
    /// True when the API would accept the request in that state.
    #[getter]
    fn valid(&self) -> bool {
        self.answer.is_ok()
    }

    /// The HTTP status of the refusal, or None.
    #[getter]
    fn status(&self) -> Option<u16> {
        self.refusal().map(ApiError::status)
    }

    /// The error code of the refusal, or None.
    #[getter]
    fn code(&self) -> Option<&'static str> {
        self.refusal().map(|e| e.code().as_str())
    }

    /// The message of the refusal, or None.
    #[getter]
    fn message(&self) -> Option<&str> {
        self.refusal().map(ApiError::message)
    }

    /// The parameter of the refusal, or None.
    #[getter]
    fn parameter(&self) -> Option<&str> {
        self.refusal().and_then(ApiError::parameter)
    }

    /// `"create"` (a new snapshot), `"replay"` (the ClientToken's earlier answer), or None
    /// when refused.
    #[getter]
    fn outcome(&self) -> Option<&'static str> {
        match &self.answer {
            Ok(Accepted::Create(_)) => Some("create"),
            Ok(Accepted::Replay { .. }) => Some("replay"),
            Err(_) => None,
        }
    }

    /// For a replay, the snapshot the first request created; otherwise None.
    #[getter]
    fn snapshot_id(&self) -> Option<&str> {
        match &self.answer {
            Ok(Accepted::Replay { snapshot_id }) => Some(snapshot_id),
            _ => None,
        }
    }

    /// For a new snapshot, what the DiskId names: `"disk"` or `"volume"` (Shared Block
    /// Storage); otherwise None.
    #[getter]
    fn source(&self) -> Option<String> {
        self.created().and_then(|new| Self::serde_name(&new.source))
    }

    /// For a new snapshot, the ID of its disk or volume; otherwise None.
    #[getter]
    fn source_id(&self) -> Option<&str> {
        self.created().map(|new| new.source.id())
    }

    /// For a new snapshot, its kind: `"normal"`, `"flash"` or `"instant_access"`.
    #[getter]
    fn kind(&self) -> Option<String> {
        self.created().and_then(|new| Self::serde_name(&new.kind))
    }

    /// The refusal as an `ecs_snapshot_rules.ApiError`, or None.
    #[getter]
    fn error<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.refusal().map(|e| to_exception(py, e)).transpose()
    }

    /// Raises the refusal as an `ecs_snapshot_rules.ApiError`; does nothing when accepted.
    fn raise_for_error(&self, py: Python<'_>) -> PyResult<()> {
        match self.refusal() {
            Some(error) => Err(PyErr::from_value(to_exception(py, error)?)),
            None => Ok(()),
        }
    }

    fn __bool__(&self) -> bool {
        self.valid()
    }

    fn __repr__(&self) -> String {
        match &self.answer {
            Ok(Accepted::Create(_)) => format!(
                "PreconditionResult(valid=True, outcome='create', source={}, source_id={}, kind={})",
                quoted_or_none(self.source().as_deref()),
                quoted_or_none(self.source_id()),
                quoted_or_none(self.kind().as_deref())
            ),
            Ok(Accepted::Replay { snapshot_id }) => format!(
                "PreconditionResult(valid=True, outcome='replay', snapshot_id={})",
                quoted(snapshot_id)
            ),
            Err(error) => format!(
                "PreconditionResult(valid=False, status={}, code={}, message={})",
                error.status(),
                quoted(error.code().as_str()),
                quoted(error.message())
            ),
        }
    }
}

/// Judges a request against the facts it meets at `now` (RFC 3339 text): the stateless
/// rules, then every stateful one, in the API's order.
#[pyfunction]
fn preconditions(
    request: &Bound<'_, PyAny>,
    facts: &Facts,
    now: &str,
) -> PyResult<PreconditionResult> {
    let now: Timestamp = now
        .parse()
        .map_err(|e: TimestampError| PyValueError::new_err(e.to_string()))?;
    let answer = match read(request)? {
        Ok(request) => check_preconditions(&request, &facts.facts, now),
        Err(error) => Err(error),
    };
    Ok(PreconditionResult { answer })
}

// ------------------------------------------------------------------------------------------
// The catalogue
// ------------------------------------------------------------------------------------------

/// One row of the error catalogue: a code the API answers with, its status, its documented
/// message, when it happens and how to fix it.
#[pyclass(frozen, module = "ecs_snapshot_rules", eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
struct CatalogEntry {
    row: ErrorCode,
}

#[pymethods]
impl CatalogEntry {
    /// The error code, e.g. `QuotaExceed.Snapshot`.
    #[getter]
    fn code(&self) -> &'static str {
        self.row.as_str()
    }

    /// The HTTP status.
    #[getter]
    fn status(&self) -> u16 {
        self.row.status()
    }

    /// The documented message (for `QuotaExceed.Tags` the template `%s`, for
    /// `InvalidParameter` one with the placeholder `NAME`).
    #[getter]
    fn message(&self) -> &'static str {
        self.row.message_template()
    }

    /// When the error happens.
    #[getter]
    fn description(&self) -> &'static str {
        self.row.description()
    }

    /// What the caller can do about it.
    #[getter]
    fn how_to_fix(&self) -> &'static str {
        self.row.how_to_fix()
    }

    /// The first document that lists the row: `"CreateSnapshot.md"` (the API reference as
    /// first written), `"SUPPLEMENT.md"` (codes the reference leaves unnamed) or
    /// `"CURRENT.md"` (a row only the current reference has).
    #[getter]
    fn source(&self) -> &'static str {
        self.row.source().first_document()
    }

    /// For a row of the first reference's error table, its number from 1; otherwise None.
    #[getter]
    fn spec_row(&self) -> Option<u8> {
        self.row.source().spec_row()
    }

    /// For a row of the current reference's error table, its number from 1; otherwise None.
    #[getter]
    fn current_row(&self) -> Option<u8> {
        self.row.source().current_row()
    }

    /// For a row whose status or message the current reference changed, what the earlier
    /// revision gave: `(document, status, message)`; otherwise None.
    #[getter]
    fn earlier(&self) -> Option<(&'static str, u16, &'static str)> {
        self.row
            .earlier()
            .map(|earlier| (earlier.document, earlier.status, earlier.message))
    }

    /// Who can produce it: `"request"` (the request alone), `"state"` (the state it meets)
    /// or `"server"` (a server in front of the rules).
    #[getter]
    fn scope(&self) -> &'static str {
        self.row.scope().id()
    }

    fn __repr__(&self) -> String {
        format!(
            "CatalogEntry(code={}, status={}, scope={})",
            quoted(self.code()),
            self.status(),
            quoted(self.scope())
        )
    }
}

/// Every row of the catalogue, in table order.
#[pyfunction]
fn catalog() -> Vec<CatalogEntry> {
    ErrorCode::ALL
        .iter()
        .map(|&row| CatalogEntry { row })
        .collect()
}

/// The rows whose code is `code` (two for `InternalError`), the one whose documented
/// message is `message` first when one is.
#[pyfunction]
#[pyo3(signature = (code, message = None))]
fn rows_for(code: &str, message: Option<&str>) -> Vec<CatalogEntry> {
    let mut rows: Vec<CatalogEntry> = ErrorCode::rows_for(code)
        .map(|row| CatalogEntry { row })
        .collect();
    if let Some(message) = message {
        rows.sort_by_key(|entry| entry.row.message_template() != message);
    }
    rows
}

/// The code of the catalogue closest to `code` (letter case ignored, a typo or two), when
/// one is close enough to be what was meant.
#[pyfunction]
fn closest_code(code: &str) -> Option<&'static str> {
    did_you_mean(code, ErrorCode::ALL.iter().map(|row| row.as_str()))
}

/// The Python binding of ecs-snapshot-rules.
#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    module.add_class::<CheckResult>()?;
    module.add_class::<Violation>()?;
    module.add_class::<RequestWarning>()?;
    module.add_class::<Facts>()?;
    module.add_class::<PreconditionResult>()?;
    module.add_class::<CatalogEntry>()?;
    module.add_function(wrap_pyfunction!(check, module)?)?;
    module.add_function(wrap_pyfunction!(first_violation, module)?)?;
    module.add_function(wrap_pyfunction!(preconditions, module)?)?;
    module.add_function(wrap_pyfunction!(catalog, module)?)?;
    module.add_function(wrap_pyfunction!(rows_for, module)?)?;
    module.add_function(wrap_pyfunction!(closest_code, module)?)?;
    Ok(())
}
