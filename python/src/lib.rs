//! The Python binding of `ecs-snapshot-rules`, kept thin: it reads what Python hands it (a
//! query string or URL, bytes, a dict in either JSON shape, or decoded name/value pairs),
//! asks the library, and hands back its verdict as Python objects. The shaping of the
//! official SDKs' request objects is done in Python (`ecs_snapshot_rules/_shape.py`).
//!
//! Nothing here panics on any input: every Python object either becomes a request, or a
//! `TypeError`/`ValueError` that says which value is wrong and why. No code of the caller's
//! runs while a value is read: a dict is read from a copy of its items, a list or tuple by
//! index (as `json.dumps` reads a subclass: its items, not its `__iter__`), an `int` by its
//! value (not its `__int__` or `__str__`); only the name of a wrong value's type, for an
//! error message, is looked up as Python looks it up, after which the reading stops. What
//! a request may make is bounded too: at most [`MAX_REQUEST_BYTES`] of text, so that a dict
//! or list that holds one value many times over cannot grow beyond memory.

#![forbid(unsafe_code)]

use std::fmt::Write as _;
use std::hash::{Hash, Hasher};

use ecs_snapshot_rules::rules::{did_you_mean, WarningKind};
use ecs_snapshot_rules::state::{
    Accepted, NewSnapshot, SnapshotKind, SnapshotSource, TimestampError,
};
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

/// The most text a request may make, in bytes: the `str` or bytes given, the JSON a dict is
/// written as, or the names and values of pairs. The largest input the command-line tool
/// reads; a larger one is a `ValueError`.
const MAX_REQUEST_BYTES: usize = 256 * 1024 * 1024;

/// How many parts of a value's path an error names (`Tag[0].Value`); a longer path is cut
/// after them, with `...`.
const MAX_PATH_PARTS: usize = 8;

/// How many characters of one part of a path (a dict's key) an error shows.
const MAX_PART_CHARS: usize = 64;

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

    fn value_error(message: impl Into<String>) -> Self {
        Misfit::new(PyValueError::new_err(message.into()))
    }

    fn type_error(message: impl Into<String>) -> Self {
        Misfit::new(PyTypeError::new_err(message.into()))
    }

    fn within(mut self, key: impl Into<String>) -> Self {
        self.path.push(key.into());
        self
    }

    /// The path of the value, outermost first (`Tag[0].Key`), cut after [`MAX_PATH_PARTS`]
    /// parts of at most [`MAX_PART_CHARS`] characters each.
    fn at(&self) -> String {
        let mut at = String::new();
        for (shown, part) in self.path.iter().rev().enumerate() {
            if shown == MAX_PATH_PARTS {
                at.push_str("...");
                break;
            }
            if !(part.starts_with('[') || at.is_empty()) {
                at.push('.');
            }
            let mut chars = part.chars();
            at.extend(chars.by_ref().take(MAX_PART_CHARS));
            if chars.next().is_some() {
                at.push_str("...");
            }
        }
        at
    }

    /// The error, its message prefixed with the path of the value (`Tag[0].Key: ...`).
    fn into_pyerr(self, py: Python<'_>) -> PyErr {
        if self.path.is_empty() {
            return self.error;
        }
        let at = self.at();
        // Every error here is this module's own or one of Python's built-in types, whose
        // str() runs no code of the caller's.
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
        Err(_) => Err(Misfit::value_error(
            "the text is not valid Unicode (it holds a lone surrogate), so it cannot be sent as UTF-8",
        )),
    }
}

/// The error for a request of more than [`MAX_REQUEST_BYTES`].
fn too_large(made: &str) -> Misfit {
    Misfit::value_error(format!(
        "the request is larger than {} MiB{made}, the most this package reads",
        MAX_REQUEST_BYTES >> 20
    ))
}

/// The name of a value's type, for a message. (A metaclass may compute `__name__`; this is
/// only looked up for an error, after which nothing more is read.)
fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|name| {
            name.to_string_lossy()
                .chars()
                .take(MAX_PART_CHARS)
                .collect()
        })
        .unwrap_or_else(|_| "object".to_owned())
}

/// Appends `text` as a JSON string, within [`MAX_REQUEST_BYTES`].
fn write_json_string(out: &mut String, text: &str) -> Result<(), Misfit> {
    // A JSON string is at least the text and its quotes; escapes are checked after.
    if out.len().saturating_add(text.len()).saturating_add(2) > MAX_REQUEST_BYTES {
        return Err(too_large(" as JSON"));
    }
    // Writing a `str` as JSON cannot fail.
    out.push_str(&serde_json::to_string(text).unwrap_or_default());
    if out.len() > MAX_REQUEST_BYTES {
        return Err(too_large(" as JSON"));
    }
    Ok(())
}

/// The decimal digits of an `int` beyond 64 bits, as `int.__repr__` writes the value itself
/// (a subclass's `__repr__`, `__str__` or `__int__` is not called).
fn int_digits(value: &Bound<'_, PyAny>) -> Result<String, Misfit> {
    let py = value.py();
    let digits = py
        .get_type::<PyInt>()
        .getattr(pyo3::intern!(py, "__repr__"))
        .and_then(|repr| repr.call1((value,)))
        .map_err(Misfit::new)?;
    let digits = digits
        .cast::<PyString>()
        .map_err(|_| Misfit::type_error("an int whose digits are not text"))?;
    text_of(digits)
}

/// Appends a Python value as JSON: `None`, `bool`, `int`, `float`, `str`, `dict` with `str`
/// keys, `list` and `tuple` (and their subclasses, read as their values). Anything else is a
/// `TypeError` naming where it is. No method of the value is called (see the module's
/// documentation), so that nothing can change what is being read while it is read.
fn write_json(value: &Bound<'_, PyAny>, out: &mut String, depth: usize) -> Result<(), Misfit> {
    if depth > MAX_DEPTH {
        return Err(Misfit::value_error(format!(
            "the request nests deeper than {MAX_DEPTH} levels (does a dict or list contain itself?)"
        )));
    }
    if out.len() > MAX_REQUEST_BYTES {
        return Err(too_large(" as JSON"));
    }
    if value.is_none() {
        out.push_str("null");
    } else if let Ok(text) = value.cast::<PyString>() {
        write_json_string(out, &text_of(text)?)?;
    } else if let Ok(flag) = value.cast::<PyBool>() {
        out.push_str(if flag.is_true() { "true" } else { "false" });
    } else if value.is_instance_of::<PyInt>() {
        // PyLong_AsLong reads an int subclass's value without calling any of its methods.
        if let Ok(number) = value.extract::<i64>() {
            let _ = write!(out, "{number}");
        } else {
            let digits = int_digits(value)?;
            if out.len().saturating_add(digits.len()) > MAX_REQUEST_BYTES {
                return Err(too_large(" as JSON"));
            }
            out.push_str(&digits);
        }
    } else if let Ok(number) = value.cast::<PyFloat>() {
        let number = number.value();
        if !number.is_finite() {
            return Err(Misfit::value_error(format!(
                "{number} is not a number JSON or the API can carry"
            )));
        }
        out.push_str(
            &serde_json::Number::from_f64(number).map_or_else(String::new, |n| n.to_string()),
        );
    } else if let Ok(dict) = value.cast::<PyDict>() {
        // A copy of the items (PyDict_Items): the dict may be changed by nothing here, and
        // its copy is read by index.
        let items = dict.items();
        out.push('{');
        for index in 0..items.len() {
            if index > 0 {
                out.push(',');
            }
            let item = items.get_item(index).map_err(Misfit::new)?;
            let pair = item
                .cast::<PyTuple>()
                .ok()
                .filter(|pair| pair.len() == 2)
                .ok_or_else(|| Misfit::type_error("a dict item that is not a pair"))?;
            let (key, item) = (
                pair.get_item(0).map_err(Misfit::new)?,
                pair.get_item(1).map_err(Misfit::new)?,
            );
            let Ok(name) = key.cast::<PyString>() else {
                return Err(Misfit::type_error(format!(
                    "a key of {} is not a parameter name: keys must be str",
                    type_name(&key)
                )));
            };
            let name = text_of(name).map_err(|m| m.within(format!("[{index}]")))?;
            write_json_string(out, &name)?;
            out.push(':');
            write_json(&item, out, depth + 1).map_err(|m| m.within(name))?;
        }
        out.push('}');
    } else if let Ok(list) = value.cast::<PyList>() {
        out.push('[');
        // By index, the length read again each time: a list subclass's __iter__ is not called.
        let mut index = 0;
        while index < list.len() {
            if index > 0 {
                out.push(',');
            }
            let item = list.get_item(index).map_err(Misfit::new)?;
            write_json(&item, out, depth + 1).map_err(|m| m.within(format!("[{index}]")))?;
            index += 1;
        }
        out.push(']');
    } else if let Ok(tuple) = value.cast::<PyTuple>() {
        out.push('[');
        for index in 0..tuple.len() {
            if index > 0 {
                out.push(',');
            }
            let item = tuple.get_item(index).map_err(Misfit::new)?;
            write_json(&item, out, depth + 1).map_err(|m| m.within(format!("[{index}]")))?;
        }
        out.push(']');
    } else {
        return Err(Misfit::type_error(format!(
            "a {} cannot stand in a request: values are str, int, float, bool, None, dict, list or tuple",
            type_name(value)
        )));
    }
    Ok(())
}

/// A dict (or Facts' dict) as JSON text, within the bounds.
fn dict_json(dict: &Bound<'_, PyAny>) -> PyResult<String> {
    let mut json = String::with_capacity(512);
    write_json(dict, &mut json, 0).map_err(|m| m.into_pyerr(dict.py()))?;
    Ok(json)
}

/// Decoded `(name, value)` pairs, both `str`, read by index from a list or tuple (its
/// subclass's `__iter__` is not called). An error in a value is located by its name.
fn read_pairs(items: &Bound<'_, PyAny>) -> Result<Vec<(String, String)>, Misfit> {
    let item_at = |index: usize| match (items.cast::<PyList>(), items.cast::<PyTuple>()) {
        (Ok(list), _) => (index < list.len()).then(|| list.get_item(index)),
        (_, Ok(tuple)) => (index < tuple.len()).then(|| tuple.get_item(index)),
        _ => None,
    };
    let mut pairs = Vec::new();
    let mut size = 0usize;
    let mut index = 0;
    while let Some(pair) = item_at(index) {
        let pair = pair.map_err(Misfit::new)?;
        let at = |m: Misfit| m.within(format!("[{index}]"));
        let pair = pair
            .cast::<PyTuple>()
            .ok()
            .filter(|tuple| tuple.len() == 2)
            .ok_or_else(|| {
                at(Misfit::type_error(format!(
                    "a pair is a (name, value) tuple of two str, not a {}",
                    type_name(&pair)
                )))
            })?;
        let (name, value) = (
            pair.get_item(0).map_err(Misfit::new)?,
            pair.get_item(1).map_err(Misfit::new)?,
        );
        let holds = |part: &Bound<'_, PyAny>| {
            Misfit::type_error(format!(
                "a pair is a (name, value) tuple of two str; this one holds a {}",
                type_name(part)
            ))
        };
        let name = text_of(name.cast::<PyString>().map_err(|_| at(holds(&name)))?).map_err(at)?;
        // From here on the value is located by the parameter it is given for.
        let value = match value.cast::<PyString>() {
            Ok(text) => text_of(text),
            Err(_) => Err(holds(&value)),
        }
        .map_err(|m| m.within(name.clone()))?;
        size = size.saturating_add(name.len() + value.len() + 2);
        if size > MAX_REQUEST_BYTES {
            return Err(too_large(""));
        }
        pairs.push((name, value));
        index += 1;
    }
    Ok(pairs)
}

/// A request read from Python: the request, or the API's answer to a request that cannot be
/// read (a parameter given twice, a bad percent-escape, another Action).
type Read = Result<CreateSnapshotRequest<'static>, ApiError>;

/// The bytes of a request given as text, within [`MAX_REQUEST_BYTES`].
fn bounded(bytes: &[u8]) -> PyResult<&[u8]> {
    if bytes.len() > MAX_REQUEST_BYTES {
        return Err(too_large("").error);
    }
    Ok(bytes)
}

/// Reads a request: `str` or bytes (a query string, a URL, or JSON text), `dict` (JSON's two
/// shapes), or a `list`/`tuple` of `(name, value)` pairs.
fn read(request: &Bound<'_, PyAny>) -> PyResult<Read> {
    let py = request.py();
    let parsed: Result<CreateSnapshotRequest<'static>, ParseError> = if request
        .is_instance_of::<PyDict>()
    {
        let json = dict_json(request)?;
        parse_json(json.as_bytes()).map(CreateSnapshotRequest::into_owned)
    } else if let Ok(text) = request.cast::<PyString>() {
        let text = text_of(text).map_err(|m| m.into_pyerr(py))?;
        parse_request(bounded(text.as_bytes())?).map(CreateSnapshotRequest::into_owned)
    } else if let Ok(bytes) = request.cast::<PyBytes>() {
        parse_request(bounded(bytes.as_bytes())?).map(CreateSnapshotRequest::into_owned)
    } else if let Ok(bytes) = request.cast::<PyByteArray>() {
        let bytes = bytes.to_vec();
        parse_request(bounded(&bytes)?).map(CreateSnapshotRequest::into_owned)
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

// ------------------------------------------------------------------------------------------
// Pickling: each class's `__reduce__` names a function of this module that builds it again
// ------------------------------------------------------------------------------------------

/// A function of this module, by name, for `__reduce__`: pickle stores its name and finds it
/// again on loading.
fn restorer<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("ecs_snapshot_rules._native")?.getattr(name)
}

/// A catalogue row as pickled: its code and documented message (which tell apart the two
/// `InternalError` rows), stable where a row's position in the table may not be.
fn row_key(row: ErrorCode) -> (&'static str, &'static str) {
    (row.as_str(), row.message_template())
}

/// The row of a pickled key: the row with that code and documented message, else the first
/// with that code.
fn row_of(code: &str, template: &str) -> PyResult<ErrorCode> {
    ErrorCode::rows_for(code)
        .find(|row| row.message_template() == template)
        .or_else(|| ErrorCode::from_code(code))
        .ok_or_else(|| {
            PyValueError::new_err(format!(
                "unknown error code {}: the pickle is of another version's catalogue",
                quoted(code)
            ))
        })
}

/// Builds a `Violation` again (what `Violation.__reduce__` names).
#[pyfunction]
#[pyo3(name = "_violation")]
fn restore_violation(
    code: &str,
    template: &str,
    message: String,
    parameter: Option<String>,
) -> PyResult<Violation> {
    let mut error = ApiError::new(row_of(code, template)?).with_message(message);
    if let Some(parameter) = parameter {
        error = error.with_parameter(parameter);
    }
    Ok(Violation { error })
}

/// Builds a `RequestWarning` again.
#[pyfunction]
#[pyo3(name = "_request_warning")]
fn restore_request_warning(
    kind: &str,
    parameter: String,
    suggestion: Option<String>,
    message: String,
) -> PyResult<RequestWarning> {
    let kind = WarningKind::ALL
        .iter()
        .map(|kind| kind.id())
        .find(|id| *id == kind)
        .ok_or_else(|| PyValueError::new_err(format!("unknown warning kind {}", quoted(kind))))?;
    Ok(RequestWarning {
        kind,
        parameter,
        suggestion,
        message,
    })
}

/// Builds a `CheckResult` again from its violations and warnings.
#[pyfunction]
#[pyo3(name = "_check_result")]
fn restore_check_result(
    violations: Vec<Bound<'_, Violation>>,
    warnings: Vec<Bound<'_, RequestWarning>>,
) -> CheckResult {
    CheckResult {
        violations: violations.iter().map(|v| v.get().error.clone()).collect(),
        warnings: warnings.iter().map(|w| w.get().clone()).collect(),
    }
}

/// Builds a `PreconditionResult` again: from its refusal, or from what it accepts
/// (`"create"` with the source, its ID and the kind; `"replay"` with the snapshot's ID).
#[pyfunction]
#[pyo3(name = "_precondition_result")]
fn restore_precondition_result(
    refusal: Option<Bound<'_, Violation>>,
    outcome: Option<&str>,
    source: Option<&str>,
    id: Option<String>,
    kind: Option<&str>,
) -> PyResult<PreconditionResult> {
    let wrong = || PyValueError::new_err("not the state of a PreconditionResult");
    let answer = match (refusal, outcome) {
        (Some(refusal), None) => Err(refusal.get().error.clone()),
        (None, Some("replay")) => Ok(Accepted::Replay {
            snapshot_id: id.ok_or_else(wrong)?,
        }),
        (None, Some("create")) => {
            let id = id.ok_or_else(wrong)?;
            let source = match source {
                Some("disk") => SnapshotSource::Disk(id),
                Some("volume") => SnapshotSource::Volume(id),
                _ => return Err(wrong()),
            };
            let kind: SnapshotKind =
                serde_json::from_value(serde_json::Value::from(kind.ok_or_else(wrong)?))
                    .map_err(|_| wrong())?;
            Ok(Accepted::Create(NewSnapshot { source, kind }))
        }
        _ => return Err(wrong()),
    };
    Ok(PreconditionResult { answer })
}

/// A hash of a value that is `Hash`, for a `__hash__` written out by hand.
fn hash_of(value: &impl Hash) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

// ------------------------------------------------------------------------------------------
// The verdict, continued
// ------------------------------------------------------------------------------------------

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

    /// What pickle and copy store: the function that builds it again, and its fields.
    #[allow(clippy::type_complexity)]
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(
        Bound<'py, PyAny>,
        (&'static str, &'static str, String, Option<String>),
    )> {
        let (code, template) = row_key(self.error.code());
        Ok((
            restorer(py, "_violation")?,
            (
                code,
                template,
                self.message().to_owned(),
                self.parameter().map(str::to_owned),
            ),
        ))
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
    /// What pickle and copy store: the function that builds it again, and its fields.
    #[allow(clippy::type_complexity)]
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(
        Bound<'py, PyAny>,
        (&'static str, String, Option<String>, String),
    )> {
        Ok((
            restorer(py, "_request_warning")?,
            (
                self.kind,
                self.parameter.clone(),
                self.suggestion.clone(),
                self.message.clone(),
            ),
        ))
    }

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
#[pyclass(frozen, module = "ecs_snapshot_rules", eq, hash)]
#[derive(PartialEq, Eq, Hash)]
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

    /// What pickle and copy store: the function that builds it again, its violations and
    /// its warnings.
    #[allow(clippy::type_complexity)]
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(
        Bound<'py, PyAny>,
        (Bound<'py, PyTuple>, Bound<'py, PyTuple>),
    )> {
        Ok((
            restorer(py, "_check_result")?,
            (self.violations(py)?, self.warnings(py)?),
        ))
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
            String::from_utf8(bounded(bytes.as_bytes())?.to_vec())
                .map_err(|_| PyValueError::new_err("the facts are not UTF-8 text"))?
        } else if source.is_instance_of::<PyDict>() {
            dict_json(source)?
        } else {
            return Err(PyTypeError::new_err(format!(
                "facts are JSON text (str or bytes) or a dict, not a {}",
                type_name(source)
            )));
        };
        bounded(text.as_bytes())?;
        let facts =
            RuleFacts::from_json(&text).map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok(Facts { facts })
    }

    /// The facts as JSON text, maps sorted by ID.
    fn to_json(&self) -> String {
        self.facts.to_json_pretty()
    }

    /// What pickle and copy store: the class and the facts as JSON text.
    fn __reduce__<'py>(&self, py: Python<'py>) -> (Bound<'py, PyType>, (String,)) {
        (py.get_type::<Facts>(), (self.to_json(),))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> Option<bool> {
        let other = other.cast::<Facts>().ok()?;
        Some(self.facts == other.get().facts)
    }

    fn __hash__(&self) -> u64 {
        hash_of(&self.to_json())
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
#[pyclass(frozen, module = "ecs_snapshot_rules", eq)]
#[derive(PartialEq)]
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

    fn __hash__(&self) -> u64 {
        match &self.answer {
            Ok(Accepted::Create(new)) => hash_of(&(1u8, &new.source, new.kind)),
            Ok(Accepted::Replay { snapshot_id }) => hash_of(&(2u8, snapshot_id)),
            Err(error) => hash_of(&(3u8, error)),
        }
    }

    /// What pickle and copy store: the function that builds it again, and the refusal or
    /// what is accepted.
    #[allow(clippy::type_complexity)]
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(
        Bound<'py, PyAny>,
        (
            Option<Violation>,
            Option<&'static str>,
            Option<String>,
            Option<String>,
            Option<String>,
        ),
    )> {
        let state = match &self.answer {
            Err(error) => (
                Some(Violation {
                    error: error.clone(),
                }),
                None,
                None,
                None,
                None,
            ),
            Ok(Accepted::Replay { snapshot_id }) => {
                (None, self.outcome(), None, Some(snapshot_id.clone()), None)
            }
            Ok(Accepted::Create(new)) => (
                None,
                self.outcome(),
                self.source(),
                Some(new.source.id().to_owned()),
                self.kind(),
            ),
        };
        Ok((restorer(py, "_precondition_result")?, state))
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

    /// What pickle and copy store: the function that builds it again, and the row's code
    /// and documented message.
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (&'static str, &'static str))> {
        Ok((restorer(py, "_catalog_entry")?, row_key(self.row)))
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

/// Builds a `CatalogEntry` again (what `CatalogEntry.__reduce__` names).
#[pyfunction]
#[pyo3(name = "_catalog_entry")]
fn restore_catalog_entry(code: &str, template: &str) -> PyResult<CatalogEntry> {
    Ok(CatalogEntry {
        row: row_of(code, template)?,
    })
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
    // The functions pickle finds by name: set, not added, so that `__all__` keeps to the
    // public names.
    for (name, restore) in [
        ("_violation", wrap_pyfunction!(restore_violation, module)?),
        (
            "_request_warning",
            wrap_pyfunction!(restore_request_warning, module)?,
        ),
        (
            "_check_result",
            wrap_pyfunction!(restore_check_result, module)?,
        ),
        (
            "_precondition_result",
            wrap_pyfunction!(restore_precondition_result, module)?,
        ),
        (
            "_catalog_entry",
            wrap_pyfunction!(restore_catalog_entry, module)?,
        ),
    ] {
        module.setattr(name, restore)?;
    }
    Ok(())
}
