//! The Terraform modules of a run: every directory that holds a `.tf` input is a module,
//! read whole (all its `.tf` files, its `terraform.tfvars` and `*.auto.tfvars`) so that
//! `var.x` and `local.x` have the values Terraform would give them. A module called with a
//! local `source` by exactly the modules read gets its variables from those calls, and its
//! resources the address `module.NAME.` below its caller's.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fs;
use std::path::{Path, PathBuf};

use hcl_edit::structure::Body;

use super::terraform::{self, ModuleParts};
use super::variables::{Scope, Value};
use super::ReadFailure;

/// One module: its files as parsed, and what its expressions can know.
struct Module {
    /// Each `.tf` file of the directory: its text and its body, or why it is not HCL.
    files: HashMap<PathBuf, (String, Result<Body, ReadFailure>)>,
    parts: ModuleParts,
    /// The values of `terraform.tfvars` and `*.auto.tfvars`, in the order they apply.
    tfvars: Vec<(String, Value)>,
    scope: Scope,
    /// `module.db.` for a module called once, `` otherwise.
    prefix: String,
}

/// Every module of a run, with their scopes resolved.
#[derive(Default)]
pub struct Project {
    modules: HashMap<PathBuf, Module>,
}

/// A `.tf` file taken from the project to be judged.
pub struct TerraformFile {
    /// Its text.
    pub text: String,
    /// Its body, or why it is not HCL.
    pub body: Result<Body, ReadFailure>,
}

/// The directory of `file`, as a key (`.` for a bare file name).
fn directory_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `path` without `.` and `..` where the text alone allows it, so that `./db` called from
/// `infra` and the walked `infra/db` are one key.
fn normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

impl Project {
    /// Reads the modules of the `.tf` files `inputs`; `var_files` are the values of
    /// `--var-file`, which apply to the root modules (those no module read calls).
    pub fn load(inputs: &[PathBuf], var_files: &[(String, Value)]) -> Project {
        let mut project = Project::default();
        let directories: HashSet<PathBuf> =
            inputs.iter().map(|f| normal(&directory_of(f))).collect();
        let mut directories: Vec<PathBuf> = directories.into_iter().collect();
        directories.sort();
        for directory in directories {
            let module = read_module(&directory);
            project.modules.insert(directory, module);
        }
        project.resolve(var_files);
        project
    }

    /// Takes the parsed `.tf` file `path` out of the project (each is judged once), with
    /// its module's scope and address prefix; `None` when it was not loaded.
    pub fn take(&mut self, path: &Path) -> Option<(TerraformFile, Scope, String)> {
        let directory = normal(&directory_of(path));
        let module = self.modules.get_mut(&directory)?;
        let key = normal(path);
        let (text, body) = module.files.remove(&key)?;
        Some((
            TerraformFile { text, body },
            module.scope.clone(),
            module.prefix.clone(),
        ))
    }

    /// The scope and prefix of the module in `directory`, for a `.tf.json` file there.
    pub fn scope_of(&self, file: &Path) -> Option<(Scope, String)> {
        let module = self.modules.get(&normal(&directory_of(file)))?;
        Some((module.scope.clone(), module.prefix.clone()))
    }

    /// Resolves every module's scope: roots from their defaults, `.tfvars` and
    /// `--var-file`; then, breadth first, each called module from its calls.
    fn resolve(&mut self, var_files: &[(String, Value)]) {
        // Who calls whom: child directory → (caller directory, call index).
        let mut callers: HashMap<PathBuf, Vec<(PathBuf, usize)>> = HashMap::new();
        for (directory, module) in &self.modules {
            for (n, call) in module.parts.calls.iter().enumerate() {
                let child = normal(&directory.join(&call.source));
                if self.modules.contains_key(&child) && &child != directory {
                    callers
                        .entry(child)
                        .or_default()
                        .push((directory.clone(), n));
                }
            }
        }
        let mut queue: VecDeque<PathBuf> = VecDeque::new();
        let mut roots: Vec<PathBuf> = self
            .modules
            .keys()
            .filter(|d| !callers.contains_key(*d))
            .cloned()
            .collect();
        roots.sort();
        for root in roots {
            let module = self.modules.get_mut(&root).expect("a loaded module");
            let mut variables = defaults(&module.parts);
            for (name, value) in module.tfvars.iter().chain(var_files) {
                if variables.contains_key(name) {
                    variables.insert(name.clone(), value.clone());
                }
            }
            module.scope = with_locals(variables, &module.parts);
            queue.push_back(root);
        }
        let mut resolved: HashSet<PathBuf> = queue.iter().cloned().collect();
        while let Some(parent) = queue.pop_front() {
            let mut children: Vec<PathBuf> = callers
                .iter()
                .filter(|(child, sites)| {
                    !resolved.contains(*child)
                        && sites.iter().all(|(caller, _)| resolved.contains(caller))
                })
                .map(|(child, _)| child.clone())
                .collect();
            children.sort();
            for child in children {
                let sites = &callers[&child];
                let mut variables = defaults(&self.modules[&child].parts);
                let mut given: HashMap<String, Vec<Value>> = HashMap::new();
                for (caller, n) in sites {
                    let caller = &self.modules[caller];
                    for (name, expression) in &caller.parts.calls[*n].arguments {
                        given
                            .entry(name.clone())
                            .or_default()
                            .push(caller.scope.evaluate(expression));
                    }
                }
                for (name, values) in given {
                    if !variables.contains_key(&name) {
                        continue;
                    }
                    // Every call must give it, and give the same value, for it to be known.
                    let same = values.len() == sites.len()
                        && values.windows(2).all(|pair| pair[0] == pair[1]);
                    let value = if same {
                        values[0].clone()
                    } else {
                        Value::Unknown
                    };
                    variables.insert(name, value);
                }
                let prefix = match sites.as_slice() {
                    [(caller, n)] => {
                        let caller = &self.modules[caller];
                        format!("{}module.{}.", caller.prefix, caller.parts.calls[*n].name)
                    }
                    _ => String::new(),
                };
                let module = self.modules.get_mut(&child).expect("a loaded module");
                module.scope = with_locals(variables, &module.parts);
                module.prefix = prefix;
                resolved.insert(child.clone());
                queue.push_back(child);
            }
            let _ = parent;
        }
        // Modules in a cycle of calls: their defaults alone.
        for (directory, module) in &mut self.modules {
            if !resolved.contains(directory) {
                module.scope = with_locals(defaults(&module.parts), &module.parts);
            }
        }
    }
}

/// Each variable with its default (unknown without one).
fn defaults(parts: &ModuleParts) -> HashMap<String, Value> {
    let empty = Scope::default();
    parts
        .variables
        .iter()
        .map(|(name, default)| {
            let value = default
                .as_ref()
                .map_or(Value::Unknown, |expression| empty.evaluate(expression));
            (name.clone(), value)
        })
        .collect()
}

/// The scope of `variables` with the module's locals evaluated in it; a local that refers
/// to another is known once that one is (as many rounds as there are locals, at most).
fn with_locals(variables: HashMap<String, Value>, parts: &ModuleParts) -> Scope {
    let mut scope = Scope {
        variables,
        locals: HashMap::new(),
        each: None,
    };
    for _ in 0..parts.locals.len().min(16) {
        let mut changed = false;
        for (name, expression) in &parts.locals {
            let value = scope.evaluate(expression);
            if scope.locals.get(name) != Some(&value) {
                scope.locals.insert(name.clone(), value);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    scope
}

/// Every `.tf` file of `directory`, and its `.tfvars`.
fn read_module(directory: &Path) -> Module {
    let mut module = Module {
        files: HashMap::new(),
        parts: ModuleParts::default(),
        tfvars: Vec::new(),
        scope: Scope::default(),
        prefix: String::new(),
    };
    let Ok(entries) = fs::read_dir(directory) else {
        return module;
    };
    let mut names: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    names.sort();
    let (mut tfvars, mut auto_tfvars) = (Vec::new(), Vec::new());
    for path in names {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.ends_with(".tf") && path.is_file() {
            let Some(text) = read_text(&path) else {
                continue;
            };
            let body = terraform::parse(&text);
            if let Ok(body) = &body {
                let parts = terraform::module_parts(body);
                module.parts.variables.extend(parts.variables);
                module.parts.locals.extend(parts.locals);
                module.parts.calls.extend(parts.calls);
            }
            module.files.insert(normal(&path), (text, body));
        } else if name == "terraform.tfvars" || name == "terraform.tfvars.json" {
            tfvars.push(path);
        } else if name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json") {
            auto_tfvars.push(path);
        }
    }
    // Terraform's order: `terraform.tfvars`, `terraform.tfvars.json`, then the
    // `*.auto.tfvars` and `*.auto.tfvars.json` files in lexical order of their names; the
    // last value of a variable wins.
    tfvars.sort();
    for path in tfvars.into_iter().chain(auto_tfvars) {
        module.tfvars.extend(read_tfvars(&path));
    }
    module
}

fn read_text(path: &Path) -> Option<String> {
    let bytes = fs::read(path).ok()?;
    String::from_utf8(bytes).ok()
}

/// A `.tfvars` (or `.tfvars.json`) file's values; one that cannot be read gives none (the
/// file is not an input, and Terraform itself would name its error).
fn read_tfvars(path: &Path) -> Vec<(String, Value)> {
    var_file(path).unwrap_or_default()
}

/// The values of a `--var-file`: HCL, or JSON when its name ends with `.json`.
pub fn var_file(path: &Path) -> Result<Vec<(String, Value)>, String> {
    let text =
        fs::read_to_string(path).map_err(|e| format!("--var-file {}: {e}", path.display()))?;
    if path.extension().is_some_and(|e| e == "json") {
        let json: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| format!("--var-file {}: {e}", path.display()))?;
        let serde_json::Value::Object(map) = json else {
            return Err(format!("--var-file {}: not a JSON object", path.display()));
        };
        return Ok(map
            .iter()
            .map(|(k, v)| (k.clone(), Value::from_json(v)))
            .collect());
    }
    terraform::tfvars(&text).map_err(|e| format!("--var-file {}: {}", path.display(), e.message))
}
