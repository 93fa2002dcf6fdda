//! The GraphQL schema: one module per domain area, merged into one Query and one Mutation. Resolvers parse
//! arguments into domain values, call the infra use cases, and wrap the results in GraphQL types.

pub mod account;
pub mod activity;
pub mod appraisal;
pub mod attachment;
pub mod ballot;
pub mod bill;
pub mod cacheable;
pub mod connection;
pub mod contact;
pub mod deputy_report;
pub mod device;
pub mod directory;
pub mod duty;
pub mod error;
pub mod evaluation;
pub mod fen;
pub mod geo;
pub mod guard;
pub mod ids;
pub mod kinds;
pub mod learning;
pub mod legislation;
pub mod loaders;
mod metrics;
pub mod moderation;
mod node;
pub mod notification;
pub mod opinion;
pub mod persisted;
pub mod project;
pub mod search;
pub mod selection;
pub mod statistics;
pub mod subscription;
pub mod suggestion;

use crate::auth::{Auth, TokenKeys, Viewer};
use async_graphql::{Context, MergedObject, SDLExportOptions, Schema, SchemaBuilder};
use edaibiao_domain::account::Actor;
use edaibiao_domain::suggestion::SuggestionPolicy;
use edaibiao_infra::Store;
use error::{ApiError, ApiResult};
use loaders::Loaders;

/// The root query.
#[derive(MergedObject, Default)]
pub struct Query(
    node::NodeQuery,
    activity::ActivityQuery,
    appraisal::AppraisalQuery,
    appraisal::AppraisalChoiceQuery,
    appraisal::AppraisalCitizenQuery,
    account::AccountQuery,
    directory::DirectoryQuery,
    duty::DutyQuery,
    deputy_report::DeputyReportQuery,
    suggestion::SuggestionQuery,
    attachment::AttachmentQuery,
    opinion::OpinionQuery,
    statistics::StatisticsQuery,
    evaluation::EvaluationQuery,
    project::ProjectQuery,
    bill::BillQuery,
    legislation::LegislationQuery,
    moderation::ModerationQuery,
    learning::LearningQuery,
    search::SearchQueryRoot,
    notification::NotificationQuery,
    device::DeviceQuery,
    contact::DeputyContactQuery,
    selection::SelectionQuery,
);

/// The root mutation.
#[derive(MergedObject, Default)]
pub struct Mutation(
    activity::ActivityMutation,
    appraisal::AppraisalMutation,
    appraisal::AppraisalChoiceMutation,
    appraisal::AppraisalCitizenMutation,
    account::AccountMutation,
    directory::DirectoryMutation,
    duty::DutyMutation,
    deputy_report::DeputyReportMutation,
    suggestion::SuggestionMutation,
    attachment::AttachmentMutation,
    opinion::OpinionMutation,
    evaluation::EvaluationMutation,
    project::ProjectMutation,
    bill::BillMutation,
    legislation::LegislationMutation,
    moderation::ModerationMutation,
    learning::LearningMutation,
    notification::NotificationMutation,
    device::DeviceMutation,
    contact::DeputyContactMutation,
    selection::SelectionMutation,
);

pub type AppSchema = Schema<Query, Mutation, subscription::Subscription>;

/// Long-lived services the resolvers use, shared by every request.
#[derive(Clone)]
pub struct Services {
    pub store: Store,
    pub keys: TokenKeys,
    pub suggestion_policy: SuggestionPolicy,
    /// Keys for citizens' personal data and the opinion policy.
    pub opinions: edaibiao_infra::opinions::OpinionSettings,
    /// When reports hide public content (`MODERATION_HIDE_AFTER_REPORTS`).
    pub moderation: edaibiao_domain::moderation::ModerationPolicy,
    /// How clients reach the server (`PUBLIC_BASE_URL`, no trailing slash): links and QR codes.
    pub public_base_url: String,
    /// Sends one-time codes to voters (`SMS_GATEWAY_URL`; a logging sender when unset).
    pub sms: std::sync::Arc<dyn edaibiao_infra::sms::SmsSender>,
    /// Where attachments are stored and how their download links are signed.
    pub files: FileServices,
}

/// The file store and the signer of download links.
#[derive(Clone, Debug)]
pub struct FileServices {
    pub storage: edaibiao_infra::files::Storage,
    pub links: edaibiao_infra::files::LinkSigner,
}

/// Deepest query accepted: deep enough for every screen of the app, shallow enough to stop abuse.
pub const MAX_DEPTH: usize = 12;
/// Largest total cost accepted; list fields cost their page size.
pub const MAX_COMPLEXITY: usize = 5_000;

fn builder(guard: guard::Guard) -> SchemaBuilder<Query, Mutation, subscription::Subscription> {
    /// Describes `XConnection` and `XEdge` for every node type `X` listed: async-graphql's connection
    /// types have no description of their own, and the builder does not show which types it holds, so
    /// `every_type_and_field_is_documented` keeps this list complete.
    trait DescribeConnections {
        fn describe_connections(self) -> Self;
    }
    macro_rules! describe_connections {
        ($($module:ident :: $node:ident),+ $(,)?) => {
            impl DescribeConnections for SchemaBuilder<Query, Mutation, subscription::Subscription> {
                fn describe_connections(self) -> Self {
                    use async_graphql::connection::{Edge, EmptyFields};
                    self $(
                        .override_output_type_description::<connection::Conn<$module::$node>>(concat!(
                            "A page of `", stringify!($node),
                            "`, with cursors for the next page and the total count."
                        ))
                        .override_output_type_description::<Edge<String, $module::$node, EmptyFields>>(
                            concat!("One `", stringify!($node), "` in a page, with its cursor.")
                        )
                    )+
                }
            }
        };
    }
    describe_connections!(
        activity::Activity,
        appraisal::Appraisal,
        bill::Bill,
        directory::Committee,
        directory::Congress,
        directory::Deputy,
        directory::DeputyGroup,
        directory::HandlingUnit,
        directory::LiaisonStation,
        directory::ProfessionalGroup,
        directory::ReceptionDay,
        deputy_report::DeputyReport,
        duty::ArchiveEntry,
        duty::DutyEntry,
        evaluation::DutyEvaluationResult,
        notification::Notification,
        opinion::Opinion,
        legislation::DraftLaw,
        legislation::LegislativeCall,
        legislation::LegislativeProposal,
        legislation::DraftComment,
        moderation::ModerationItem,
        learning::LearningMaterial,
        learning::NewsItem,
        learning::Document,
        project::LivelihoodProject,
        project::ProjectRound,
        suggestion::Suggestion,
        contact::DeputyContact,
        selection::Selection,
    );

    Schema::build(Query::default(), Mutation::default(), subscription::Subscription)
        .extension(guard)
        .limit_complexity(MAX_COMPLEXITY)
        .extension(metrics::OperationMetrics)
        .extension(cacheable::Cacheability)
        .describe_connections()
        .override_output_type_description::<search::SearchConnection>(
            "A page of search results, best first, with cursors for the next page.",
        )
        .override_output_type_description::<search::SearchEdge>(
            "One search result: the item (`node`) as the viewer may see it, how it matched, and its cursor.",
        )
}

/// How the edge treats documents: what `build_schema` takes from the configuration.
#[derive(Default)]
pub struct EdgeSettings {
    /// Whether introspection and "Did you mean …" hints answer.
    pub introspection: bool,
    /// Only these documents run, when set.
    pub trusted: Option<std::sync::Arc<persisted::TrustedDocuments>>,
    /// Bytes of document text whose parsed form is kept.
    pub document_cache_bytes: usize,
}

/// The schema as served. Without `introspection` (production's default) neither introspection nor the
/// validator's "Did you mean …" hints answer: both map the API for whoever asks. With `trusted`
/// documents, only those run.
pub fn build_schema(services: Services, edge: EdgeSettings) -> AppSchema {
    let EdgeSettings { introspection, trusted, document_cache_bytes } = edge;
    let limits = guard::Limits { introspection, max_depth: MAX_DEPTH, ..guard::Limits::default() };
    let guard = guard::Guard::new(limits).trusting_only(trusted).caching(document_cache_bytes);
    let builder = builder(guard).data(services);
    if introspection {
        builder.finish()
    } else {
        builder.disable_introspection().disable_suggestions().finish()
    }
}

/// The schema in SDL, sorted for stable diffs: what `schema.graphql` holds.
pub fn sdl() -> String {
    builder(guard::Guard::new(guard::Limits::default())).finish().sdl_with_options(
        SDLExportOptions::new().sorted_fields().sorted_arguments().sorted_enum_items().include_specified_by(),
    )
}

/// Shortcuts resolvers use to reach the request's services and viewer.
pub trait ContextExt {
    fn services(&self) -> ApiResult<&Services>;
    fn auth(&self) -> &Auth;
    fn loader(&self) -> ApiResult<&Loaders>;

    /// The viewer, or UNAUTHENTICATED.
    fn viewer(&self) -> ApiResult<&Viewer> {
        self.auth().viewer().ok_or_else(ApiError::unauthenticated)
    }

    /// The acting account, or UNAUTHENTICATED.
    fn actor(&self) -> ApiResult<&Actor> {
        self.viewer().map(|v| &v.actor)
    }

    /// The acting account if someone is logged in.
    fn actor_opt(&self) -> Option<&Actor> {
        self.auth().viewer().map(|v| &v.actor)
    }
}

impl ContextExt for Context<'_> {
    fn services(&self) -> ApiResult<&Services> {
        self.data::<Services>()
            .map_err(|_| ApiError::new(crate::graphql::error::ErrorCode::Internal, "services are missing"))
    }

    fn auth(&self) -> &Auth {
        self.data_opt::<Auth>().unwrap_or(&Auth::Anonymous)
    }

    fn loader(&self) -> ApiResult<&Loaders> {
        self.data::<Loaders>().map_err(|_| {
            ApiError::new(crate::graphql::error::ErrorCode::Internal, "data loaders are missing")
        })
    }
}

#[cfg(test)]
mod tests {
    /// Every type, field, argument, enum value and input field in the contract has a description.
    #[test]
    fn every_type_and_field_is_documented() {
        let sdl = super::sdl();
        let mut undocumented = undocumented_arguments(&sdl);
        let mut previous = "";
        let mut in_block = false;
        for line in sdl.lines() {
            let trimmed = line.trim();
            let starts_definition = ["type ", "input ", "enum ", "interface ", "scalar ", "union "]
                .iter()
                .any(|k| trimmed.starts_with(k));
            // `\t): Type` closes a field's argument list, whose arguments were written one per line.
            let is_member = line.starts_with('\t')
                && !trimmed.starts_with("\"\"\"")
                && !trimmed.starts_with(')')
                && !in_block
                && !trimmed.is_empty();
            if (starts_definition || is_member) && previous != "\"\"\"" && !trimmed.starts_with("directive") {
                // Built-in scalars and the schema block are not ours to document.
                let builtin = ["scalar DateTime", "schema {", "query:", "mutation:", "subscription:"]
                    .iter()
                    .any(|b| trimmed.starts_with(b));
                if !builtin {
                    undocumented.push(trimmed.to_owned());
                }
            }
            if trimmed.starts_with("\"\"\"") && !(trimmed.len() > 3 && trimmed.ends_with("\"\"\"")) {
                in_block = !in_block;
                previous = if in_block { "" } else { "\"\"\"" };
                continue;
            }
            previous = if trimmed.ends_with("\"\"\"") { "\"\"\"" } else { "" };
        }
        // async-graphql's own words for every edge type: a connection missing from `builder`'s list.
        let generic = "An edge in a connection.";
        undocumented
            .extend(types_described_as(&sdl, generic).into_iter().map(|ty| format!("{ty}: {generic}")));
        assert!(undocumented.is_empty(), "undocumented in the schema:\n{}", undocumented.join("\n"));
    }

    /// The types whose description is `description`.
    fn types_described_as(sdl: &str, description: &str) -> Vec<String> {
        use async_graphql::parser::types::TypeSystemDefinition;
        let document = match async_graphql::parser::parse_schema(sdl) {
            Ok(document) => document,
            Err(err) => panic!("the SDL does not parse: {err}"),
        };
        document
            .definitions
            .iter()
            .filter_map(|definition| match definition {
                TypeSystemDefinition::Type(ty) => Some(&ty.node),
                _ => None,
            })
            .filter(|ty| ty.description.as_ref().is_some_and(|d| d.node.trim() == description))
            .map(|ty| ty.name.node.to_string())
            .collect()
    }

    /// `Type.field(argument)` for every argument without a description. The SDL writes a documented
    /// argument's description as a `"""` block before it, one argument per line, but an undocumented one
    /// after a documented one stays on the previous argument's line; so this reads the parsed SDL, not lines.
    fn undocumented_arguments(sdl: &str) -> Vec<String> {
        use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
        let document = match async_graphql::parser::parse_schema(sdl) {
            Ok(document) => document,
            Err(err) => panic!("the SDL does not parse: {err}"),
        };
        let mut undocumented = Vec::new();
        for definition in document.definitions {
            let TypeSystemDefinition::Type(ty) = definition else { continue };
            let fields = match &ty.node.kind {
                TypeKind::Object(object) => &object.fields,
                TypeKind::Interface(interface) => &interface.fields,
                _ => continue,
            };
            for field in fields {
                for argument in &field.node.arguments {
                    if argument.node.description.as_ref().is_none_or(|d| d.node.trim().is_empty()) {
                        undocumented.push(format!(
                            "{}.{}({})",
                            ty.node.name.node, field.node.name.node, argument.node.name.node
                        ));
                    }
                }
            }
        }
        undocumented
    }

    /// The argument check sees an argument without a description, wherever the SDL puts it.
    #[test]
    fn an_undocumented_argument_is_found() {
        let sdl = "type Query {\n\t\"\"\"\n\tF.\n\t\"\"\"\n\tf(\n\t\t\"\"\"\n\t\tA.\n\t\t\"\"\"\n\t\ta: Int,\t\tb: Int\n\t): Int\n\tg(c: Int): Int\n}\n";
        assert_eq!(undocumented_arguments(sdl), vec!["Query.f(b)", "Query.g(c)"]);
    }
}
