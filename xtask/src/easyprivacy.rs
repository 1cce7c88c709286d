//! The generator of `rulesets/easyprivacy.toml`.
//!
//! EasyPrivacy's tracking-server and third-party lists
//! (`data/easyprivacy/`, by the EasyList authors, GPL-3.0-or-later or
//! CC BY-SA 3.0-or-later; the generated file is CC BY-SA 3.0) are Adblock
//! Plus filters. They are read only as far as tracklint can represent a
//! rule:
//!
//! - `||host^` (optionally `$third-party`) is a tracker host, `*.host`;
//! - `||host/path` is a `host/path` pattern (`scripts` when it names a
//!   `.js` file, `pixels` otherwise): a filter matches a prefix of the URL,
//!   so the path gets a trailing `*` unless it ends at `/`, `^`, `|` or a
//!   bare `?`; a `*` inside it matches within one path segment here, where a
//!   blocker's `*` crosses `/`, so such a rule matches less than upstream;
//! - everything else is left out and counted by reason: exceptions,
//!   element hiding, regular expressions, rules without a host anchor,
//!   `||host^*path` (a path anywhere under the host is not a prefix),
//!   paths with a query or a `^` inside, wildcards in the host, and rules
//!   with `$domain=`, resource-type or other options.
//!
//! Curated vendors win, then third-party-web, then EasyPrivacy: a rule
//! whose host overlaps a host of either (equal, or one covering the other)
//! is dropped, as `third_party_web.rs` drops domains curated vendors own.
//!
//! Entries are named after the third-party-web entity that owns the host
//! (not a `hosting` or `cdn` one: the owner of `cloudfront.net` is not the
//! tracker on `d1.cloudfront.net`), else after its registrable domain from
//! the Public Suffix List (the `psl` crate, pinned by Cargo.lock). A list
//! that belongs to one company (Admiral's domains, and each
//! `easyprivacy_specific_cname_<tracker>.txt`, first-party subdomains that
//! are CNAME aliases of the tracker) is named after that company: after
//! the curated or third-party-web vendor that owns the company's domain
//! when there is one, so a cloaked host reads as the tracker it points to.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::third_party_web::{self, slug};

/// The generated file, relative to the repository root.
pub const OUTPUT: &str = "rulesets/easyprivacy.toml";

const DATA: &str = "data/easyprivacy";

/// The tracking-server and third-party lists, read in this order.
const LISTS: &[&str] = &[
    "easyprivacy_trackingservers.txt",
    "easyprivacy_trackingservers_general.txt",
    "easyprivacy_trackingservers_thirdparty.txt",
    "easyprivacy_trackingservers_international.txt",
    "easyprivacy_thirdparty.txt",
    "easyprivacy_thirdparty_international.txt",
];

/// Lists of one company's hosts: (file, company, a domain of the
/// company's own tracking servers, whether the hosts are CNAME aliases).
/// The names come from each file's header comment.
const COMPANY_LISTS: &[(&str, &str, &str, bool)] = &[
    (
        "easyprivacy_trackingservers_admiral.txt",
        "Admiral",
        "getadmiral.com",
        false,
    ),
    (
        "easyprivacy_specific_cname_ad-ebis.txt",
        "AD EBiS",
        "ebis.ne.jp",
        true,
    ),
    (
        "easyprivacy_specific_cname_at-internet.txt",
        "AT Internet",
        "xiti.com",
        true,
    ),
    (
        "easyprivacy_specific_cname_commanders-act.txt",
        "Commanders Act",
        "commander1.com",
        true,
    ),
    (
        "easyprivacy_specific_cname_dataunlocker.txt",
        "DataUnlocker",
        "dataunlocker.com",
        true,
    ),
    (
        "easyprivacy_specific_cname_ingenious-technologies.txt",
        "Ingenious Technologies",
        "ingenioustechnologies.com",
        true,
    ),
    (
        "easyprivacy_specific_cname_keyade.txt",
        "Keyade",
        "keyade.com",
        true,
    ),
    (
        "easyprivacy_specific_cname_otto.txt",
        "Otto Group",
        "ottogroup.io",
        true,
    ),
    (
        "easyprivacy_specific_cname_tracedock.txt",
        "TraceDock",
        "tracedock.com",
        true,
    ),
    (
        "easyprivacy_specific_cname_webtrekk.txt",
        "Webtrekk",
        "webtrekk.net",
        true,
    ),
    (
        "easyprivacy_specific_cname_wizaly.txt",
        "Wizaly",
        "wizaly.com",
        true,
    ),
];

/// third-party-web entity categories of infrastructure and services that
/// others build on (`hosting`: Heroku; `cdn`: CloudFront; `utility`:
/// Fastly, GitHub Pages, Google APIs; `other`: Amazon Web Services): their
/// owner is not the tracker one of their subdomains or paths serves.
const INFRASTRUCTURE: &[&str] = &["hosting", "cdn", "utility", "other"];

/// Why a filter was left out: each one is counted under the first reason
/// that applies, in the order `parse` checks them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Skip {
    /// `@@`: an exception, which allows a request.
    Exception,
    /// `##`, `#@#`, `#?#`: element hiding.
    Cosmetic,
    /// `/…/`: a regular expression.
    Regex,
    /// A URL pattern without a `||host` anchor: nothing to look a host up by.
    NoHost,
    /// `|http://…`: a URL-start anchor.
    UrlAnchor,
    /// `*` inside the host.
    HostWildcard,
    /// The anchor is not followed by a whole host name.
    NotHost,
    /// `$domain=`: applies on some sites only.
    Domain,
    /// `$script`, `$image`, …: applies to some request types only.
    ResourceType,
    /// `$~third-party`: first-party requests only.
    FirstParty,
    /// Any other option (`$rewrite`, …).
    OtherOption,
    /// `||host^*path`: a path anywhere under the host.
    Anywhere,
    /// The rule matches the query string.
    Query,
    /// A `^` separator (or `|`) inside the path.
    Separator,
    /// A path tracklint refuses (too long, spaces).
    BadPath,
    /// A host a curated vendor owns.
    Curated,
    /// A host third-party-web owns.
    ThirdPartyWeb,
    /// The same host or pattern again, in the same list or another.
    Duplicate,
    /// Under a host the same entry already blocks whole.
    Covered,
}

impl Skip {
    fn describe(self) -> &'static str {
        match self {
            Skip::Exception => "exception rules (@@)",
            Skip::Cosmetic => "element hiding (##)",
            Skip::Regex => "regular expressions (/…/)",
            Skip::NoHost => "URL patterns without a ||host anchor (cannot be looked up by host)",
            Skip::UrlAnchor => "|http… URL anchors",
            Skip::HostWildcard => "a * inside the host",
            Skip::NotHost => "not a whole host name after || (partial name, port)",
            Skip::Domain => "$domain= restrictions (some sites only)",
            Skip::ResourceType => "resource-type options ($script, $image, …)",
            Skip::FirstParty => "first-party-only option ($~third-party)",
            Skip::OtherOption => "other options ($rewrite, …)",
            Skip::Anywhere => "||host^*path (a path anywhere under the host is not a prefix)",
            Skip::Query => "paths that match the query string (…?key=)",
            Skip::Separator => "a ^ separator or | inside the path",
            Skip::BadPath => "paths tracklint refuses (over 256 bytes, spaces)",
            Skip::Curated => "hosts a curated vendor owns (curated wins)",
            Skip::ThirdPartyWeb => "hosts third-party-web owns (third-party-web wins)",
            Skip::Duplicate => "listed again (same host or pattern)",
            Skip::Covered => "under a host the same entry blocks whole",
        }
    }
}

/// A filter tracklint can represent.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rule {
    /// The host, matched with its subdomains (`*.host`).
    pub host: String,
    /// A path pattern, when the rule has one.
    pub path: Option<String>,
}

const RESOURCE_TYPES: &[&str] = &[
    "script",
    "image",
    "stylesheet",
    "object",
    "xmlhttprequest",
    "subdocument",
    "ping",
    "media",
    "font",
    "websocket",
    "webrtc",
    "other",
    "popup",
    "document",
    "object-subrequest",
];

/// Reads one filter line: `Ok(None)` for comments and blank lines.
pub fn parse(line: &str) -> Result<Option<Rule>, Skip> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('!') || line.starts_with('[') {
        return Ok(None);
    }
    if line.starts_with("@@") {
        return Err(Skip::Exception);
    }
    if ["##", "#@#", "#?#", "#$#"].iter().any(|m| line.contains(m)) {
        return Err(Skip::Cosmetic);
    }
    // `/…/` or `/…/$options`; a regular expression may hold `$` itself.
    let before_options = line.rfind('$').map_or(line, |i| &line[..i]);
    if line.len() > 2
        && line.starts_with('/')
        && (line.ends_with('/') || before_options.ends_with('/'))
    {
        return Err(Skip::Regex);
    }
    let (pattern, options) = match line.rfind('$') {
        Some(i) => (&line[..i], &line[i + 1..]),
        None => (line, ""),
    };
    for o in options.split(',').filter(|o| !o.is_empty()) {
        let o = o.trim().to_ascii_lowercase();
        let bare = o.trim_start_matches('~');
        if o.starts_with("domain=") || o.starts_with("from=") {
            return Err(Skip::Domain);
        }
        if RESOURCE_TYPES.contains(&bare) {
            return Err(Skip::ResourceType);
        }
        match o.as_str() {
            "third-party" | "3p" => {}
            "~third-party" | "first-party" | "1p" => return Err(Skip::FirstParty),
            _ => return Err(Skip::OtherOption),
        }
    }
    let Some(rest) = pattern.strip_prefix("||") else {
        if pattern.starts_with("|http") {
            return Err(Skip::UrlAnchor);
        }
        return Err(Skip::NoHost);
    };
    let end = rest
        .find(['/', '^', '*', '?', ':', '|'])
        .unwrap_or(rest.len());
    let (host, tail) = (rest[..end].to_ascii_lowercase(), &rest[end..]);
    if tail.starts_with('*') && !tail.starts_with("*/") && !tail.starts_with("*^") {
        return Err(Skip::HostWildcard);
    }
    if !valid_host(&host) || tail.starts_with(':') || tail.starts_with('?') {
        return Err(Skip::NotHost);
    }
    if matches!(tail, "" | "^" | "^|" | "|") {
        return Ok(Some(Rule { host, path: None }));
    }
    if tail.starts_with("^*") || tail.starts_with('*') {
        return Err(Skip::Anywhere);
    }
    let Some(mut path) = tail.strip_prefix('/').map(|p| format!("/{p}")) else {
        return Err(Skip::Separator);
    };
    // Where the filter stops matching: at the end of a segment, or at any
    // prefix (a filter's default).
    let mut whole = false;
    for end in ["^|", "^", "|", "?"] {
        if let Some(p) = path.strip_suffix(end) {
            path = p.to_string();
            whole = true;
            break;
        }
    }
    if path.contains('?') {
        return Err(Skip::Query);
    }
    if path.contains(['^', '|']) {
        return Err(Skip::Separator);
    }
    while path.contains("**") {
        path = path.replace("**", "*");
    }
    if !whole && !path.ends_with('/') && !path.ends_with('*') {
        path.push('*');
    }
    if path == "/" || path == "/*" {
        return Ok(Some(Rule { host, path: None }));
    }
    if path.len() > 256 || path.bytes().any(|b| b <= b' ' || b >= 0x7f) {
        return Err(Skip::BadPath);
    }
    Ok(Some(Rule {
        host,
        path: Some(path),
    }))
}

fn valid_host(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 253
        && h.contains('.')
        && h.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && !h.split('.').any(str::is_empty)
}

/// `host` and each of its parent domains, longest first.
fn suffixes(host: &str) -> impl Iterator<Item = &str> {
    std::iter::once(host).chain(host.match_indices('.').map(move |(i, _)| &host[i + 1..]))
}

/// A vendor of the curated rulesets or of third-party-web.
struct Claim {
    origin: Skip,
    id: String,
    name: String,
    category: String,
}

/// The hosts curated vendors and third-party-web's vendors own.
#[derive(Default)]
struct Claims {
    list: Vec<Claim>,
    /// Exact host patterns.
    exact: HashMap<String, usize>,
    /// `*.domain` patterns, by domain.
    wild: HashMap<String, usize>,
    /// Every host of a pattern and each of its parent domains.
    under: HashMap<String, usize>,
    ids: HashSet<String>,
}

impl Claims {
    /// Reads the vendors of a ruleset file's text; earlier claims win.
    fn add_ruleset(&mut self, text: &str, origin: Skip) {
        let table: toml::Table = toml::from_str(text).expect("a built-in ruleset");
        for v in table
            .get("vendor")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
        {
            let i = self.list.len();
            self.list.push(Claim {
                origin,
                id: v["id"].as_str().unwrap().to_string(),
                name: v["name"].as_str().unwrap().to_string(),
                category: v["category"].as_str().unwrap().to_string(),
            });
            self.ids.insert(self.list[i].id.clone());
            for key in ["hosts", "scripts", "pixels"] {
                for p in v.get(key).and_then(|x| x.as_array()).into_iter().flatten() {
                    let host = p.as_str().unwrap().split('/').next().unwrap();
                    let (host, wild) = match host.strip_prefix("*.") {
                        Some(h) => (h, true),
                        None => (host, false),
                    };
                    let map = if wild {
                        &mut self.wild
                    } else {
                        &mut self.exact
                    };
                    map.entry(host.to_string()).or_insert(i);
                    for s in suffixes(host) {
                        self.under.entry(s.to_string()).or_insert(i);
                    }
                }
            }
        }
    }

    /// The vendor whose patterns overlap `*.host`: one at or under it, or
    /// a `*.domain` above it.
    fn overlapping(&self, host: &str) -> Option<&Claim> {
        let i = self
            .under
            .get(host)
            .or_else(|| suffixes(host).skip(1).find_map(|s| self.wild.get(s)))?;
        Some(&self.list[*i])
    }

    /// The vendor a request to `host` resolves to.
    fn owner(&self, host: &str) -> Option<&Claim> {
        let i = self
            .exact
            .get(host)
            .or_else(|| suffixes(host).find_map(|s| self.wild.get(s)))?;
        Some(&self.list[*i])
    }
}

#[derive(Deserialize)]
struct Entity {
    name: String,
    company: Option<String>,
    homepage: Option<String>,
    category: String,
    domains: Vec<String>,
}

/// third-party-web's entities by domain.
struct Entities {
    list: Vec<Entity>,
    exact: HashMap<String, usize>,
    wild: HashMap<String, usize>,
}

impl Entities {
    fn read(root: &Path) -> Entities {
        let list: Vec<Entity> =
            serde_json::from_str(&read(&root.join("data/third-party-web/entities.json")))
                .expect("entities.json");
        let (mut exact, mut wild) = (HashMap::new(), HashMap::new());
        for (i, e) in list.iter().enumerate() {
            for d in &e.domains {
                let d = d.trim().to_ascii_lowercase();
                match d.strip_prefix("*.") {
                    Some(base) => wild.entry(base.to_string()).or_insert(i),
                    None => exact.entry(d).or_insert(i),
                };
            }
        }
        Entities { list, exact, wild }
    }

    /// The entity that owns `host`, unless it is infrastructure or owns
    /// it only through a public suffix (`*.herokuapp.com`: every
    /// `name.herokuapp.com` is someone else's).
    fn owner(&self, host: &str) -> Option<&Entity> {
        let public = psl::suffix_str(host).unwrap_or(host);
        let i = self.exact.get(host).or_else(|| {
            suffixes(host)
                .take_while(|s| s.len() > public.len())
                .find_map(|s| self.wild.get(s))
        })?;
        let e = &self.list[*i];
        (!INFRASTRUCTURE.contains(&e.category.as_str())).then_some(e)
    }
}

/// One generated vendor.
#[derive(Default)]
struct Entry {
    name: String,
    company: Option<String>,
    docs: Option<String>,
    category: String,
    /// The curated or third-party-web vendor a CNAME list points to.
    cname_of: Option<String>,
    lists: BTreeSet<&'static str>,
    hosts: BTreeSet<String>,
    scripts: BTreeSet<String>,
    pixels: BTreeSet<String>,
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// (file, commit, sha256) of every list, from `SOURCE`.
fn provenance(source: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut lines = source.lines().map(str::trim);
    while let Some(l) = lines.next() {
        if l.starts_with("Files asked for but NOT") {
            break;
        }
        let Some(file) = l.strip_prefix("easyprivacy/") else {
            continue;
        };
        let mut commit = String::new();
        let mut sha = String::new();
        for l in lines.by_ref().take(3) {
            if let Some(c) = l.strip_prefix("commit") {
                commit = c.trim().to_string();
            } else if let Some(s) = l.strip_prefix("sha256") {
                sha = s.trim().to_string();
            }
        }
        out.push((file.to_string(), commit, sha));
    }
    out
}

/// What the generator made of the lists.
pub struct Generated {
    /// `rulesets/easyprivacy.toml`.
    pub text: String,
    /// The counts, for `cargo xtask gen` to print.
    pub summary: String,
}

/// `rulesets/easyprivacy.toml`, from the lists and the curated rulesets
/// under the repository root `root`, and `third_party_web`, the text of
/// `rulesets/third-party-web.toml` as generated now.
pub fn generate(root: &Path, third_party_web: &str) -> String {
    generate_with_summary(root, third_party_web).text
}

/// The generated file and a summary of what was kept and left out.
pub fn generate_with_summary(root: &Path, third_party_web_text: &str) -> Generated {
    let data = root.join(DATA);
    let source = read(&data.join("SOURCE"));
    let notice = read(&data.join("LICENSE-NOTICE.txt"));
    let files = provenance(&source);
    let all_lists = LISTS
        .iter()
        .copied()
        .chain(COMPANY_LISTS.iter().map(|c| c.0));
    let mut texts: HashMap<&'static str, String> = HashMap::new();
    for name in all_lists {
        let text = read(&data.join(name));
        let sha = format!("{:x}", Sha256::digest(text.as_bytes()));
        let recorded = files
            .iter()
            .find(|f| f.0 == name)
            .unwrap_or_else(|| panic!("{DATA}/SOURCE does not list {name}"));
        assert_eq!(
            recorded.2, sha,
            "{DATA}/{name} is not the file SOURCE records; update SOURCE with the new commit and sha256"
        );
        texts.insert(name, text);
    }

    // Curated first, then third-party-web as it is generated now.
    let mut claims = Claims::default();
    for entry in std::fs::read_dir(root.join("rulesets")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml")
            && !path.ends_with(third_party_web::OUTPUT)
            && !path.ends_with(OUTPUT)
        {
            claims.add_ruleset(&read(&path), Skip::Curated);
        }
    }
    claims.add_ruleset(third_party_web_text, Skip::ThirdPartyWeb);
    let entities = Entities::read(root);

    let mut skipped: BTreeMap<Skip, usize> = BTreeMap::new();
    let mut kept_per_list: BTreeMap<&str, usize> = BTreeMap::new();
    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    let mut seen: HashSet<Rule> = HashSet::new();
    // Company lists first: a host listed there and in a general list is
    // the company's.
    let company = COMPANY_LISTS
        .iter()
        .map(|&(f, name, domain, cname)| (f, Some((name, domain, cname))));
    let general = LISTS.iter().map(|&f| (f, None));
    for (list, company) in company.chain(general) {
        for line in texts[list].lines() {
            let rule = match parse(line) {
                Ok(Some(r)) => r,
                Ok(None) => continue,
                Err(why) => {
                    *skipped.entry(why).or_default() += 1;
                    continue;
                }
            };
            if let Some(c) = claims.overlapping(&rule.host) {
                *skipped.entry(c.origin).or_default() += 1;
                continue;
            }
            if !seen.insert(rule.clone()) {
                *skipped.entry(Skip::Duplicate).or_default() += 1;
                continue;
            }
            let key = match company {
                Some((name, domain, cname)) => {
                    company_entry(&mut entries, &claims, name, domain, cname)
                }
                None => host_entry(&mut entries, &entities, &rule.host),
            };
            let e = entries.get_mut(&key).expect("just made");
            e.lists.insert(list);
            *kept_per_list.entry(list).or_default() += 1;
            let pattern = format!("*.{}", rule.host);
            match rule.path {
                None => e.hosts.insert(pattern),
                Some(p) if p.trim_end_matches('*').ends_with(".js") => {
                    e.scripts.insert(format!("{pattern}{p}"))
                }
                Some(p) => e.pixels.insert(format!("{pattern}{p}")),
            };
        }
    }

    // Within an entry, a host under another of its hosts adds nothing.
    for e in entries.values_mut() {
        let whole: HashSet<String> = e
            .hosts
            .iter()
            .map(|h| h.trim_start_matches("*.").to_string())
            .collect();
        let covered = |host: &str, strict: bool| {
            suffixes(host)
                .skip(usize::from(strict))
                .any(|s| whole.contains(s))
        };
        let before = e.hosts.len() + e.scripts.len() + e.pixels.len();
        e.hosts.retain(|h| !covered(&h[2..], true));
        for list in [&mut e.scripts, &mut e.pixels] {
            list.retain(|p| !covered(p[2..].split('/').next().unwrap(), false));
        }
        let after = e.hosts.len() + e.scripts.len() + e.pixels.len();
        if before > after {
            *skipped.entry(Skip::Covered).or_default() += before - after;
        }
    }

    // Ids: unique, and none a curated or third-party-web id.
    let mut ids = claims.ids.clone();
    let mut out_entries = Vec::new();
    for (key, e) in entries {
        let base = match &e.cname_of {
            Some(of) => format!("{of}-cname"),
            None => slug(&key),
        };
        let mut id = base.clone();
        let mut k = 2;
        if ids.contains(&id) {
            id = format!("{base}-easyprivacy");
        }
        while !ids.insert(id.clone()) {
            id = format!("{base}-{k}");
            k += 1;
        }
        out_entries.push((id, e));
    }
    out_entries.sort_by(|a, b| a.0.cmp(&b.0));

    let n_hosts: usize = out_entries.iter().map(|(_, e)| e.hosts.len()).sum();
    let n_paths: usize = out_entries
        .iter()
        .map(|(_, e)| e.scripts.len() + e.pixels.len())
        .sum();
    let n_cname = out_entries.iter().filter(|(_, e)| e.what_cname()).count();
    let mut summary = String::new();
    let _ = writeln!(
        summary,
        "{} vendors ({n_cname} of them CNAME-cloaked first-party hosts), {n_hosts} host patterns, {n_paths} path patterns.",
        out_entries.len()
    );
    let _ = writeln!(summary, "Rules kept, by list:");
    for (list, n) in &kept_per_list {
        let _ = writeln!(summary, "  {n:>5}  {list}");
    }
    let _ = writeln!(summary, "Rules left out, by reason:");
    for (why, n) in &skipped {
        let _ = writeln!(summary, "  {n:>5}  {}", why.describe());
    }

    let mut out = String::new();
    out.push_str(
        "# GENERATED by xtask/src/easyprivacy.rs from data/easyprivacy/*.txt (EasyPrivacy).\n",
    );
    out.push_str(
        "# Do not edit: change the lists, the other rulesets or the generator, then run\n",
    );
    out.push_str("#   cargo xtask gen\n#\n");
    out.push_str(concat!(
        "# LICENCE OF THIS FILE: Creative Commons Attribution-ShareAlike 3.0 Unported\n",
        "# (CC BY-SA 3.0, https://creativecommons.org/licenses/by-sa/3.0/), not tracklint's MIT\n",
        "# licence. This file is an adaptation of EasyPrivacy by The EasyList authors\n",
        "# (https://easylist.to/), which they license under GPL-3.0-or-later or\n",
        "# CC BY-SA 3.0-or-later at the user's choice (https://easylist.to/pages/licence.html);\n",
        "# of the two, this file is distributed under CC BY-SA 3.0.\n",
        "#\n",
        "# What was changed: the Adblock Plus filters of the lists below were converted into\n",
        "# tracklint vendors. `||host^` rules became `*.host` in `hosts`, `||host/path` rules\n",
        "# became `host/path` patterns in `scripts` (.js files) or `pixels`; every other rule\n",
        "# was left out (counts below), as were hosts that tracklint's curated vendors or\n",
        "# third-party-web already own. Entries were grouped and named after the\n",
        "# third-party-web entity that owns the host (entity names from third-party-web, MIT),\n",
        "# else after the host's registrable domain (Public Suffix List); one company's lists\n",
        "# (Admiral, and the CNAME lists) after that company.\n",
        "#\n",
    ));
    out.push_str("# The lists, from github.com/easylist/easylist, folder easyprivacy/:\n");
    for (file, commit, sha) in &files {
        if texts.contains_key(file.as_str()) {
            let _ = writeln!(out, "#   {file} @ {commit}\n#     sha256 {sha}");
        }
    }
    out.push_str("#\n");
    for line in summary.lines() {
        let _ = writeln!(out, "# {line}");
    }
    out.push_str("#\n# data/easyprivacy/LICENSE-NOTICE.txt:\n#\n");
    for line in notice.lines() {
        out.push_str(&format!("# {line}\n").replace("# \n", "#\n"));
    }
    out.push_str(
        "\n# Tracker hosts and endpoints: matched where HTML loads them, not searched for in code.\nmatch_in_code = false\n",
    );
    for (id, e) in &out_entries {
        let _ = write!(
            out,
            "\n[[vendor]]\nid = {}\nname = {}\n",
            quote(id),
            quote(&e.name)
        );
        if let Some(c) = &e.company {
            let _ = writeln!(out, "company = {}", quote(c));
        }
        let _ = writeln!(out, "category = {}\nbaa = \"unknown\"", quote(&e.category));
        if let Some(d) = &e.docs {
            let _ = writeln!(out, "docs = {}", quote(d));
        }
        // Only the CNAME entries say more than `tracklint explain` does for
        // every EasyPrivacy vendor (its source and licence): a `what` per
        // entry would be a third of the file, and of the time to load it.
        if e.what_cname() {
            let lists: Vec<&str> = e.lists.iter().copied().collect();
            let what = format!(
                "First-party subdomains that EasyPrivacy (The EasyList authors, CC BY-SA 3.0) lists as CNAME aliases of {}'s tracking servers (CNAME cloaking): {}.",
                e.name,
                lists.join(", ")
            );
            let _ = writeln!(out, "what = {}", quote(&what));
        }
        for (key, list) in [
            ("hosts", &e.hosts),
            ("scripts", &e.scripts),
            ("pixels", &e.pixels),
        ] {
            if !list.is_empty() {
                let items: Vec<String> = list.iter().map(|h| quote(h)).collect();
                let _ = writeln!(out, "{key} = [{}]", items.join(", "));
            }
        }
    }
    Generated { text: out, summary }
}

impl Entry {
    fn what_cname(&self) -> bool {
        self.lists.iter().any(|l| l.contains("_cname_"))
    }
}

/// The entry of one company's list; returns its key.
fn company_entry(
    entries: &mut BTreeMap<String, Entry>,
    claims: &Claims,
    name: &str,
    domain: &str,
    cname: bool,
) -> String {
    let owner = claims.owner(domain);
    let key = match (owner, cname) {
        (Some(o), true) => format!("{} cname", o.id),
        (None, true) => format!("{name} cname"),
        (_, false) => name.to_string(),
    };
    entries.entry(key.clone()).or_insert_with(|| Entry {
        name: owner.map_or(name, |o| o.name.as_str()).to_string(),
        category: owner
            .map_or("analytics", |o| o.category.as_str())
            .to_string(),
        cname_of: owner
            .filter(|_| cname)
            .map(|o| o.id.clone())
            .or_else(|| cname.then(|| slug(name))),
        ..Entry::default()
    });
    key
}

/// The entry named after the owner of `host`; returns its key.
fn host_entry(entries: &mut BTreeMap<String, Entry>, entities: &Entities, host: &str) -> String {
    if let Some(e) = entities.owner(host) {
        let key = e.name.clone();
        entries.entry(key.clone()).or_insert_with(|| Entry {
            name: e.name.clone(),
            company: e.company.clone(),
            docs: e.homepage.clone(),
            category: tracking_category(&e.category).to_string(),
            ..Entry::default()
        });
        return key;
    }
    let numeric = host
        .split('.')
        .all(|l| l.bytes().all(|b| b.is_ascii_digit()));
    let domain = if numeric {
        host
    } else {
        psl::domain_str(host).unwrap_or(host)
    };
    entries.entry(domain.to_string()).or_insert_with(|| Entry {
        name: domain.to_string(),
        category: "analytics".to_string(),
        ..Entry::default()
    });
    domain.to_string()
}

/// A tracklint category for an entity's: its own when third-party-web
/// calls it a tracker, else `analytics` (EasyPrivacy lists tracking).
fn tracking_category(c: &str) -> &'static str {
    match c {
        "ad" => "advertising",
        "social" => "social",
        "tag-manager" => "tag-manager",
        "marketing" => "marketing-automation",
        "customer-success" => "chat",
        _ => "analytics",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(h: &str) -> Result<Option<Rule>, Skip> {
        Ok(Some(Rule {
            host: h.into(),
            path: None,
        }))
    }

    fn path(h: &str, p: &str) -> Result<Option<Rule>, Skip> {
        Ok(Some(Rule {
            host: h.into(),
            path: Some(p.into()),
        }))
    }

    #[test]
    fn filters_become_hosts_and_paths_or_a_reason() {
        assert_eq!(parse("! comment"), Ok(None));
        assert_eq!(parse("||stats.example.com^"), host("stats.example.com"));
        assert_eq!(
            parse("||Stats.Example.com^$third-party"),
            host("stats.example.com")
        );
        assert_eq!(parse("||example.com/tr/"), path("example.com", "/tr/"));
        assert_eq!(parse("||example.com/log?"), path("example.com", "/log"));
        assert_eq!(
            parse("||example.com/count.js"),
            path("example.com", "/count.js*")
        );
        assert_eq!(parse("||example.com/c^"), path("example.com", "/c"));
        assert_eq!(parse("||example.com/a/*/b"), path("example.com", "/a/*/b*"));
        assert_eq!(parse("||example.com/log?id="), Err(Skip::Query));
        assert_eq!(parse("||example.com^*/track"), Err(Skip::Anywhere));
        assert_eq!(parse("||example.com^$domain=a.com"), Err(Skip::Domain));
        assert_eq!(
            parse("||example.com^$third-party,domain=a.com"),
            Err(Skip::Domain)
        );
        assert_eq!(parse("||example.com^$image"), Err(Skip::ResourceType));
        assert_eq!(parse("||example.com^$~script"), Err(Skip::ResourceType));
        assert_eq!(parse("||example.com^$~third-party"), Err(Skip::FirstParty));
        assert_eq!(parse("@@||example.com^"), Err(Skip::Exception));
        assert_eq!(parse("example.com##.ad"), Err(Skip::Cosmetic));
        assert_eq!(parse("/analytics\\.js/"), Err(Skip::Regex));
        assert_eq!(
            parse("/^https:\\/\\/x\\.js$/$script,third-party"),
            Err(Skip::Regex)
        );
        assert_eq!(parse("/analytics.js?"), Err(Skip::NoHost));
        assert_eq!(parse("|https://example.com/x"), Err(Skip::UrlAnchor));
        assert_eq!(parse("||mkto-*.com^"), Err(Skip::HostWildcard));
        assert_eq!(parse("||metrics.^"), Err(Skip::NotHost));
        assert_eq!(parse("||example.com/a^b"), Err(Skip::Separator));
    }

    #[test]
    fn provenance_reads_source() {
        let files = provenance(
            "Files\n-----\neasyprivacy/a.txt\n  commit      abc\n  bytes 1   wc -l 1\n  sha256      def\n\nFiles asked for but NOT brought\n  easyprivacy/b.txt  commit x\n",
        );
        assert_eq!(files, [("a.txt".into(), "abc".into(), "def".into())]);
    }
}
