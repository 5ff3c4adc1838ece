//! The Terraform modules of a run: every directory that holds a `.tf` input is a module,
//! read whole (all its `.tf` files, its `terraform.tfvars` and `*.auto.tfvars`) so that
//! `var.x` and `local.x` have the values Terraform would give them. A module called with a
//! local `source` by exactly the modules read gets its variables from those calls, and its
//! resources the address `module.NAME.` below its caller's.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use hcl_edit::structure::Body;

use super::instances::{instances, key_suffix, Instances, MAX_INSTANCES};
use super::terraform::{self, defaults, with_locals, ImportTarget, ModuleCall, ModuleParts};
use super::variables::{Scope, Value};
use super::{ReadFailure, MAX_INPUT_BYTES};

/// One module: its files as parsed, and what its expressions can know.
struct Module {
    /// Each `.tf` file of the directory: its text and its body, or why it is not HCL.
    files: HashMap<PathBuf, (String, Result<Body, ReadFailure>)>,
    parts: ModuleParts,
    /// The values of `terraform.tfvars` and `*.auto.tfvars`, in the order they apply.
    tfvars: Vec<(String, Value)>,
    /// Each instance of the module Terraform makes: none when every call has `count = 0`
    /// or an empty `for_each`.
    instances: Vec<Instance>,
}

/// One instance of a module: what its expressions know, and the address its resources
/// are below (`module.db.`, `module.db["a"].`, empty for a root module).
#[derive(Clone, Default)]
pub struct Instance {
    /// The values its variables and locals have.
    pub scope: Scope,
    /// The address prefix of its resources.
    pub prefix: String,
}

/// Every module of a run, with their scopes resolved.
#[derive(Default)]
pub struct Project {
    modules: HashMap<PathBuf, Module>,
    /// The `import` blocks of every module read.
    imports: Vec<ImportTarget>,
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
    /// its module's instances; `None` when it was not loaded.
    pub fn take(&mut self, path: &Path) -> Option<(TerraformFile, Vec<Instance>)> {
        let directory = normal(&directory_of(path));
        let module = self.modules.get_mut(&directory)?;
        let key = normal(path);
        let (text, body) = module.files.remove(&key)?;
        Some((TerraformFile { text, body }, module.instances.clone()))
    }

    /// The instances of the module in the directory of `file`, for a `.tf.json` file there.
    pub fn instances_of(&self, file: &Path) -> Option<Vec<Instance>> {
        let module = self.modules.get(&normal(&directory_of(file)))?;
        Some(module.instances.clone())
    }

    /// Whether an `import` block brings the resource instance `address` under management:
    /// then no CreateSnapshot is called for it.
    pub fn is_imported(&self, address: &str) -> bool {
        self.imports.iter().any(|target| target.matches(address))
    }

    /// Resolves every module's instances: a root's from its defaults, `.tfvars` and
    /// `--var-file`; then, breadth first, each called module's from the instances of its
    /// callers and each call's `count` and `for_each`.
    fn resolve(&mut self, var_files: &[(String, Value)]) {
        self.imports = self
            .modules
            .values()
            .flat_map(|m| m.parts.imports.iter().cloned())
            .collect();
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
        for sites in callers.values_mut() {
            sites.sort();
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
            module.instances = vec![Instance {
                scope: with_locals(variables, &module.parts),
                prefix: String::new(),
            }];
            queue.push_back(root);
        }
        let mut resolved: HashSet<PathBuf> = queue.iter().cloned().collect();
        while queue.pop_front().is_some() {
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
                let instances = self.instances_from_calls(&self.modules[&child], &callers[&child]);
                self.modules
                    .get_mut(&child)
                    .expect("a loaded module")
                    .instances = instances;
                resolved.insert(child.clone());
                queue.push_back(child);
            }
        }
        // Modules in a cycle of calls: their defaults alone.
        for (directory, module) in &mut self.modules {
            if !resolved.contains(directory) {
                module.instances = vec![Instance {
                    scope: with_locals(defaults(&module.parts), &module.parts),
                    prefix: String::new(),
                }];
            }
        }
    }

    /// The instances of `child`, called from `sites` (each caller resolved): for each
    /// instance of a caller, none when the call's `count` is 0 or its `for_each` empty, one
    /// per key of a known `for_each` (`each` known in the call's arguments), else one.
    /// Past [`MAX_INSTANCES`] in all, one instance whose variables are known only where
    /// every call gives the same value, below no address.
    fn instances_from_calls(&self, child: &Module, sites: &[(PathBuf, usize)]) -> Vec<Instance> {
        let mut made = Vec::new();
        for (caller, n) in sites {
            let caller = &self.modules[caller];
            let call = &caller.parts.calls[*n];
            for instance in &caller.instances {
                let meta = |expression: &Option<hcl_edit::expr::Expression>| {
                    expression.as_ref().map(|e| instance.scope.evaluate(e))
                };
                let at = format!("{}module.{}", instance.prefix, call.name);
                match instances(meta(&call.count).as_ref(), meta(&call.for_each).as_ref()) {
                    Instances::None => {}
                    Instances::Block => {
                        made.push(called(child, call, &instance.scope, format!("{at}.")));
                    }
                    Instances::Each(keys) => {
                        for (key, value) in keys {
                            let suffix = key_suffix(&key);
                            let mut scope = instance.scope.clone();
                            scope.each = Some((key, value));
                            made.push(called(child, call, &scope, format!("{at}{suffix}.")));
                        }
                    }
                }
                if made.len() > MAX_INSTANCES {
                    return vec![self.merged(child, sites)];
                }
            }
        }
        made
    }

    /// One instance for every call of `child`: a variable is known when every call gives
    /// it, and gives the same value.
    fn merged(&self, child: &Module, sites: &[(PathBuf, usize)]) -> Instance {
        let mut variables = defaults(&child.parts);
        let mut given: HashMap<String, Vec<Value>> = HashMap::new();
        for (caller, n) in sites {
            let caller = &self.modules[caller];
            for instance in &caller.instances {
                for (name, expression) in &caller.parts.calls[*n].arguments {
                    given
                        .entry(name.clone())
                        .or_default()
                        .push(instance.scope.evaluate(expression));
                }
            }
        }
        for (name, values) in given {
            if !variables.contains_key(&name) {
                continue;
            }
            let first = values.first().cloned().unwrap_or(Value::Unknown);
            let same = values.iter().all(|value| *value == first);
            variables.insert(name, if same { first } else { Value::Unknown });
        }
        Instance {
            scope: with_locals(variables, &child.parts),
            prefix: String::new(),
        }
    }
}

/// The instance of `child` that `call` makes, its arguments read in the caller's `scope`.
fn called(child: &Module, call: &ModuleCall, scope: &Scope, prefix: String) -> Instance {
    let mut variables = defaults(&child.parts);
    for (name, expression) in &call.arguments {
        if variables.contains_key(name) {
            variables.insert(name.clone(), scope.evaluate(expression));
        }
    }
    Instance {
        scope: with_locals(variables, &child.parts),
        prefix,
    }
}

/// Every `.tf` file of `directory`, and its `.tfvars`.
fn read_module(directory: &Path) -> Module {
    let mut module = Module {
        files: HashMap::new(),
        parts: ModuleParts::default(),
        tfvars: Vec::new(),
        instances: Vec::new(),
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
                module.parts.types.extend(parts.types);
                module.parts.source_bytes += text.len();
                module.parts.calls.extend(parts.calls);
                module.parts.imports.extend(parts.imports);
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

/// The text of a module's file; `None` when it cannot be read (as an input, the file then
/// gets its own error).
fn read_text(path: &Path) -> Option<String> {
    bounded_text(path).ok()
}

/// The text of `path`, read no further than [`MAX_INPUT_BYTES`], or why not.
fn bounded_text(path: &Path) -> Result<String, String> {
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|file| file.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(format!(
            "larger than {} MiB",
            MAX_INPUT_BYTES / (1024 * 1024)
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (an invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// A `.tfvars` (or `.tfvars.json`) file's values; one that cannot be read gives none (the
/// file is not an input, and Terraform itself would name its error).
fn read_tfvars(path: &Path) -> Vec<(String, Value)> {
    var_file(path).unwrap_or_default()
}

/// The values of a `--var-file`: HCL, or JSON when its name ends with `.json`.
pub fn var_file(path: &Path) -> Result<Vec<(String, Value)>, String> {
    let text = bounded_text(path).map_err(|e| format!("--var-file {}: {e}", path.display()))?;
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
