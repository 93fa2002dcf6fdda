//! The first thing every GraphQL document meets, over HTTP and WebSocket alike: a guard that measures a
//! document before anything recurses on it or walks its fragments, so that no document within the body
//! limit can overflow a stack or cost more than a few milliseconds to refuse.
//!
//! In order: a lexical scan (bracket nesting, name lengths) in constant stack; the parse; the size after
//! fragment expansion (memoised, so fan-out cannot hide); literal and variable values (depth, control
//! characters); and the number of credential mutations (each costs a password hash or an SMS). The parsed
//! document is handed on, so async-graphql does not parse it again, and kept by its hash
//! ([`parsed::ParsedDocuments`]), so a known operation is not parsed or measured again either. With
//! trusted documents configured, a document the app did not register at release is refused before it is
//! even parsed. A second hook gives every request-level error async-graphql raises (parse, validation,
//! depth, cost) its `extensions.code`.

mod parsed;
mod scan;
mod shape;
mod values;

pub use values::check_text;

use crate::graphql::error::ErrorCode;
use crate::graphql::persisted::TrustedDocuments;
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest, NextRequest, NextSubscribe,
};
use async_graphql::parser::types::{ExecutableDocument, OperationDefinition, OperationType};
use async_graphql::{Request, Response, ServerError, ServerResult, async_trait};
use async_graphql_value::Value;
use edaibiao_infra::persisted_queries::DocumentHash;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use parsed::ParsedDocuments;
use std::sync::Arc;

/// What a document may hold. The defaults leave every screen of the app far inside them.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Brackets (`{`, `[`, `(`) open at once, anywhere in the document.
    pub max_nesting: usize,
    /// Longest name (field, alias, argument, fragment, variable, operation).
    pub max_name_len: usize,
    /// Fields, arguments, directives and literal values once every fragment spread is expanded.
    pub max_expanded_nodes: u64,
    /// Deepest variable value (lists and input objects).
    pub max_variable_depth: usize,
    /// Deepest field nesting, introspection not counted (see [`shape::Measure::depth`]).
    pub max_depth: usize,
    /// Root fields per request that check a credential or send a text message.
    pub max_credential_fields: usize,
    /// Whether `__schema` and `__type` may be asked for (async-graphql would answer them with a silent
    /// `null` when disabled; a client deserves to be told).
    pub introspection: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_nesting: 64,
            max_name_len: 128,
            max_expanded_nodes: 5_000,
            max_variable_depth: 32,
            max_depth: 12,
            max_credential_fields: 1,
            introspection: true,
        }
    }
}

/// Mutations that verify a password or one-time code, or send one: each costs a hash or a text message, so
/// a request may hold only one of them (aliases would otherwise multiply a throttle's cost per request).
pub const CREDENTIAL_FIELDS: &[&str] = &[
    "login",
    "refreshToken",
    "changePassword",
    "registerCitizen",
    "requestRegistrationCode",
    "requestPasswordReset",
    "resetPassword",
    "requestVoterRatingCode",
    "rateReportToVoters",
    "requestAppraisalVoteCode",
    "castAppraisalCitizenBallot",
    "requestDraftCommentCode",
    "commentOnDraftLawByPhone",
    "checkInToActivity",
    "submitOpinion",
];

/// Why a document was refused, each with the code clients branch on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Nested deeper than the guard measures: BAD_USER_INPUT, as the values are the client's input.
    #[error("{0}")]
    TooDeep(String),
    /// Not a GraphQL document.
    #[error("{0}")]
    Parse(String),
    /// Too large once fragments are expanded.
    #[error("{0}")]
    TooComplex(String),
    /// Fields nested deeper than the depth limit.
    #[error("{0}")]
    TooDeepQuery(String),
    /// A value no person types (control characters), or too many credential checks at once.
    #[error("{0}")]
    Input(String),
    /// Asks for what this server does not offer (introspection in production).
    #[error("{0}")]
    Validation(String),
    /// Not one of the trusted documents, in a deployment that runs only those.
    #[error("only the operations registered with this server may run here")]
    NotTrusted,
    /// A mutation or subscription sent with GET, which must not change anything.
    #[error("only queries may be sent with GET; send {0} operations with POST")]
    NotReadOnly(&'static str),
}

impl Refusal {
    pub fn code(&self) -> ErrorCode {
        match self {
            Refusal::TooDeep(_) | Refusal::Input(_) => ErrorCode::BadUserInput,
            Refusal::Parse(_) => ErrorCode::GraphqlParseFailed,
            Refusal::TooComplex(_) => ErrorCode::QueryTooComplex,
            Refusal::TooDeepQuery(_) => ErrorCode::QueryTooDeep,
            Refusal::Validation(_) => ErrorCode::GraphqlValidationFailed,
            Refusal::NotTrusted => ErrorCode::OperationNotTrusted,
            Refusal::NotReadOnly(_) => ErrorCode::MethodNotAllowed,
        }
    }

    fn into_server_error(self) -> ServerError {
        let code = self.code();
        coded(ServerError::new(self.to_string(), None), code)
    }
}

fn coded(mut error: ServerError, code: ErrorCode) -> ServerError {
    error.extensions.get_or_insert_with(Default::default).set("code", code.as_str());
    error
}

/// Inspects a request's document and variables; the parsed document on success.
pub fn inspect(request: &Request, limits: &Limits) -> Result<ExecutableDocument, Refusal> {
    let doc = check_document(&request.query, limits)?;
    check_request(&doc, request, limits, false)?;
    Ok(doc)
}

/// What depends on the document's text alone (so holds for every request that sends it): its nesting,
/// syntax, expanded size, depth and literal values. The parsed document on success.
fn check_document(query: &str, limits: &Limits) -> Result<ExecutableDocument, Refusal> {
    scan::scan(query, limits)?;
    let doc =
        async_graphql::parser::parse_query(query).map_err(|e| Refusal::Parse(parse_error_message(&e)))?;
    let mut measure = shape::Measure::new(&doc);
    let too_complex = || {
        Refusal::TooComplex(format!(
            "the document expands to more than {} fields and values",
            limits.max_expanded_nodes
        ))
    };
    let mut total = 0u64;
    for (_, op) in doc.operations.iter() {
        total = total.saturating_add(measure.operation(&op.node).nodes);
        if total > limits.max_expanded_nodes {
            return Err(too_complex());
        }
    }
    for (_, op) in doc.operations.iter() {
        if measure.depth(&op.node) > limits.max_depth {
            return Err(Refusal::TooDeepQuery(format!(
                "Query is nested too deep: fields may nest at most {} levels",
                limits.max_depth
            )));
        }
    }
    for literal in literals(&doc) {
        values::check(literal, limits.max_nesting)?;
    }
    Ok(doc)
}

/// One line for a parse error. A syntax error's message is a multi-line drawing of the document with its
/// last line saying what was expected; that line and the position are what a client can use.
fn parse_error_message(error: &async_graphql::parser::Error) -> String {
    match error {
        async_graphql::parser::Error::Syntax { message, start, .. } => {
            let expected =
                message.lines().rev().find_map(|l| l.trim().strip_prefix("= ")).unwrap_or("unexpected input");
            format!("syntax error at line {}, column {}: {expected}", start.line, start.column)
        }
        other => other.to_string().lines().next().unwrap_or("syntax error").to_owned(),
    }
}

/// What depends on the request around the document: its variables, and the operation it selects
/// (introspection, credential checks, and whether it may change anything when `read_only`).
fn check_request(
    doc: &ExecutableDocument,
    request: &Request,
    limits: &Limits,
    read_only: bool,
) -> Result<(), Refusal> {
    for (_, value) in request.variables.iter() {
        values::check(value, limits.max_variable_depth)?;
    }
    if let Some(op) = selected(doc, request.operation_name.as_deref()) {
        match op.ty {
            OperationType::Mutation if read_only => return Err(Refusal::NotReadOnly("mutation")),
            OperationType::Subscription if read_only => return Err(Refusal::NotReadOnly("subscription")),
            _ => {}
        }
        let roots = shape::Measure::new(doc).root_fields(op);
        if !limits.introspection && roots.iter().any(|f| matches!(*f, "__schema" | "__type")) {
            return Err(Refusal::Validation("introspection is disabled on this server".into()));
        }
        let credentials = roots.into_iter().filter(|f| CREDENTIAL_FIELDS.contains(f)).count();
        if credentials > limits.max_credential_fields {
            return Err(Refusal::Input(format!(
                "a request may check at most {} credential (login, code, password) at a time",
                limits.max_credential_fields
            )));
        }
    }
    Ok(())
}

/// The operation that will run: the named one, or the only one.
fn selected<'d>(doc: &'d ExecutableDocument, name: Option<&str>) -> Option<&'d OperationDefinition> {
    match name {
        Some(name) => doc.operations.iter().find(|(n, _)| n.is_some_and(|n| n.as_str() == name)),
        None => doc.operations.iter().next(),
    }
    .map(|(_, op)| &op.node)
}

/// Every argument literal of the document, fragments included (each once, not per spread).
fn literals(doc: &ExecutableDocument) -> Vec<&Value> {
    use async_graphql::Positioned;
    use async_graphql::parser::types::{Directive, Selection, SelectionSet};
    fn directives<'a>(list: &'a [Positioned<Directive>], out: &mut Vec<&'a Value>) {
        for d in list {
            out.extend(d.node.arguments.iter().map(|(_, v)| &v.node));
        }
    }
    let mut out = Vec::new();
    let mut sets: Vec<&SelectionSet> = Vec::new();
    for (_, op) in doc.operations.iter() {
        directives(&op.node.directives, &mut out);
        sets.push(&op.node.selection_set.node);
    }
    for fragment in doc.fragments.values() {
        directives(&fragment.node.directives, &mut out);
        sets.push(&fragment.node.selection_set.node);
    }
    while let Some(set) = sets.pop() {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    out.extend(field.node.arguments.iter().map(|(_, v)| &v.node));
                    directives(&field.node.directives, &mut out);
                    sets.push(&field.node.selection_set.node);
                }
                Selection::InlineFragment(inline) => {
                    directives(&inline.node.directives, &mut out);
                    sets.push(&inline.node.selection_set.node);
                }
                Selection::FragmentSpread(spread) => directives(&spread.node.directives, &mut out),
            }
        }
    }
    out
}

/// The code of an error async-graphql raised itself (before any resolver ran), by its message: it gives
/// these no code of its own.
fn request_error_code(error: &ServerError) -> ErrorCode {
    let message = error.message.as_str();
    if message.starts_with("Query is nested too deep") {
        ErrorCode::QueryTooDeep
    } else if message.starts_with("Query is too complex") {
        ErrorCode::QueryTooComplex
    } else if message.starts_with("Unknown operation named") || message.starts_with("Operation name required")
    {
        ErrorCode::BadRequest
    } else if message.starts_with("Invalid value for argument")
        || message.to_ascii_lowercase().contains("variable")
    {
        ErrorCode::BadUserInput
    } else if error.locations.is_empty() && error.path.is_empty() {
        ErrorCode::BadRequest
    } else if error.path.is_empty() {
        ErrorCode::GraphqlValidationFailed
    } else {
        // A resolver's error without a code: an input coercion failure at a path.
        ErrorCode::BadUserInput
    }
}

fn code_errors(response: &mut Response) {
    for error in &mut response.errors {
        let has_code = error.extensions.as_ref().is_some_and(|e| e.get("code").is_some());
        if !has_code {
            let code = request_error_code(error);
            *error = coded(std::mem::replace(error, ServerError::new("", None)), code);
        }
    }
}

/// Put in a request's data by transports that must not change anything (HTTP GET): the guard then lets
/// only queries run.
pub struct ReadOnly;

/// Installs the guard on a schema. Its parsed-document cache is shared by every request of the schema.
pub struct Guard {
    limits: Arc<Limits>,
    trusted: Option<Arc<TrustedDocuments>>,
    parsed: Arc<ParsedDocuments>,
}

impl Guard {
    pub fn new(limits: Limits) -> Self {
        Self { limits: Arc::new(limits), trusted: None, parsed: Arc::new(ParsedDocuments::default()) }
    }

    /// Keeps parsed documents of up to `bytes` of text in all (0: none).
    pub fn caching(mut self, bytes: usize) -> Self {
        self.parsed = Arc::new(ParsedDocuments::with_budget(bytes));
        self
    }

    /// Runs only these documents (trusted-documents mode).
    pub fn trusting_only(mut self, trusted: Option<Arc<TrustedDocuments>>) -> Self {
        self.trusted = trusted;
        self
    }
}

impl ExtensionFactory for Guard {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(GuardExtension {
            limits: self.limits.clone(),
            trusted: self.trusted.clone(),
            parsed: self.parsed.clone(),
        })
    }
}

struct GuardExtension {
    limits: Arc<Limits>,
    trusted: Option<Arc<TrustedDocuments>>,
    parsed: Arc<ParsedDocuments>,
}

impl GuardExtension {
    /// The checked document of `request`: from the cache when this text passed before, otherwise
    /// checked, parsed and remembered.
    fn document(&self, request: &Request) -> Result<ExecutableDocument, Refusal> {
        let hash = DocumentHash::of(&request.query);
        if let Some(trusted) = &self.trusted
            && !trusted.contains(&hash)
        {
            return Err(Refusal::NotTrusted);
        }
        if let Some(doc) = self.parsed.get(&hash) {
            return Ok(doc);
        }
        let doc = check_document(&request.query, &self.limits)?;
        self.parsed.put(hash, &doc, request.query.len());
        Ok(doc)
    }
}

#[async_trait::async_trait]
impl Extension for GuardExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        code_errors(&mut response);
        response
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        next.run(ctx, stream)
            .map(|mut response| {
                code_errors(&mut response);
                response
            })
            .boxed()
    }

    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let read_only = request.data.contains_key(&std::any::TypeId::of::<ReadOnly>());
        let doc = self.document(&request).map_err(Refusal::into_server_error)?;
        check_request(&doc, &request, &self.limits, read_only).map_err(Refusal::into_server_error)?;
        request.set_parsed_query(doc);
        next.run(ctx, request).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(query: &str) -> Option<Refusal> {
        inspect(&Request::new(query), &Limits::default()).err()
    }

    #[test]
    fn refuses_each_kind_of_hostile_document_with_its_code() {
        let deep = format!(
            "{{ deputies(filter: {{expertise: {}\"x\"{}}}) {{ id }} }}",
            "[".repeat(1500),
            "]".repeat(1500)
        );
        assert_eq!(refusal(&deep).map(|r| r.code().as_str()), Some("BAD_USER_INPUT"));
        let mut fan = String::from("query { ...F0 }");
        for i in 0..30 {
            fan.push_str(&format!(" fragment F{i} on Query {{ ...F{} ...F{} }}", i + 1, i + 1));
        }
        fan.push_str(" fragment F30 on Query { __typename }");
        assert_eq!(refusal(&fan).map(|r| r.code().as_str()), Some("QUERY_TOO_COMPLEX"));
        assert_eq!(refusal("{ a(x: \"\\u0000\") }").map(|r| r.code().as_str()), Some("BAD_USER_INPUT"));
        assert_eq!(refusal("{ a(").map(|r| r.code().as_str()), Some("GRAPHQL_PARSE_FAILED"));
        assert_eq!(
            refusal("{\n  a(").map(|r| r.to_string()).as_deref(),
            Some("syntax error at line 2, column 5: expected name")
        );
        assert_eq!(
            refusal(
                "mutation { a: login(phone: \"1\", password: \"2\") b: login(phone: \"1\", password: \"3\") }"
            )
            .map(|r| r.code().as_str()),
            Some("BAD_USER_INPUT")
        );
    }

    #[test]
    fn accepts_ordinary_documents() {
        assert_eq!(refusal("query Q($f: DeputyFilter) { deputies(filter: $f) { nodes { id name } } }"), None);
        assert_eq!(refusal("mutation { login(phone: \"1\", password: \"2\") { accessToken } }"), None);
        assert_eq!(refusal("{ ...F ...F } fragment F on Query { __typename }"), None);
    }

    #[test]
    fn introspection_is_refused_when_off() {
        let off = Limits { introspection: false, ..Limits::default() };
        for query in [
            "{ __schema { types { name } } }",
            "{ ...F } fragment F on Query { __type(name: \"Query\") { name } }",
        ] {
            let refused = inspect(&Request::new(query), &off).err();
            assert_eq!(refused.map(|r| r.code().as_str()), Some("GRAPHQL_VALIDATION_FAILED"), "{query}");
        }
        assert!(inspect(&Request::new("{ __typename }"), &off).is_ok());
        assert!(inspect(&Request::new("{ __schema { types { name } } }"), &Limits::default()).is_ok());
    }

    #[test]
    fn checks_variables() {
        let mut value = async_graphql::Variables::default();
        let mut deep = async_graphql_value::ConstValue::Null;
        for _ in 0..40 {
            deep = async_graphql_value::ConstValue::List(vec![deep]);
        }
        value.insert(async_graphql::Name::new("f"), deep);
        let request = Request::new("query Q($f: [String]) { a(f: $f) }").variables(value);
        assert_eq!(
            inspect(&request, &Limits::default()).err().map(|r| r.code().as_str()),
            Some("BAD_USER_INPUT")
        );
    }
}
