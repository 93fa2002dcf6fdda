//! The small vocabularies of a suggestion's life: states, handling modes and roles, answer classes,
//! satisfaction, contact methods and co-signing.

vocabulary!(
    /// Where a suggestion is in its life.
    SuggestionState {
        /// 草稿: the lead deputy is writing it; co-signers join.
        Draft = "DRAFT",
        /// 提出: submitted, numbered, waiting for staff.
        Proposed = "PROPOSED",
        /// 交办: assigned to units with a deadline.
        Assigned = "ASSIGNED",
        /// 承办: the unit(s) accepted it and are handling it.
        Handled = "HANDLED",
        /// 答复: every answering unit has answered.
        Answered = "ANSWERED",
        /// 评价: the lead deputy has rated every answer.
        Rated = "RATED",
        /// 撤回: withdrawn by the lead deputy.
        Withdrawn = "WITHDRAWN",
    }
);

vocabulary!(
    /// How the work is split between units.
    HandlingMode {
        /// 主办 + 协办: one lead unit answers, co-units contribute opinions.
        LeadWithCo = "LEAD_WITH_CO",
        /// 分办: two or more units, each answers its own part.
        Parallel = "PARALLEL",
    }
);

vocabulary!(
    /// A unit's part in handling.
    HandlingRole {
        /// 主办单位 (or each unit in PARALLEL mode): answers.
        Lead = "LEAD",
        /// 协办单位: gives an opinion to the lead unit.
        Co = "CO",
    }
);

vocabulary!(
    /// 答复分类.
    AnswerClass {
        /// A 类: solved or basically solved.
        Solved = "SOLVED",
        /// B 类: being solved or planned; a completion date is promised.
        InProgress = "IN_PROGRESS",
        /// C 类: must wait for conditions; reasons given.
        Deferred = "DEFERRED",
        /// D 类: kept for reference; reasons given.
        ForReference = "FOR_REFERENCE",
    }
);

vocabulary!(
    /// 满意度.
    Satisfaction {
        Satisfied = "SATISFIED",
        BasicallySatisfied = "BASICALLY_SATISFIED",
        Dissatisfied = "DISSATISFIED",
    }
);

impl Satisfaction {
    /// 满意, 基本满意 or 不满意.
    pub fn label(self) -> &'static str {
        match self {
            Satisfaction::Satisfied => "满意",
            Satisfaction::BasicallySatisfied => "基本满意",
            Satisfaction::Dissatisfied => "不满意",
        }
    }
}

vocabulary!(
    /// How a unit talked with the deputy.
    ContactMethod {
        Phone = "PHONE",
        Visit = "VISIT",
        Meeting = "MEETING",
        Other = "OTHER",
    }
);

vocabulary!(
    /// A co-signing invitation's answer.
    CoSignStatus {
        Invited = "INVITED",
        Confirmed = "CONFIRMED",
        Declined = "DECLINED",
    }
);

vocabulary!(
    /// What a step on a suggestion's timeline records: the name each [`Event`](super::Event) is stored
    /// under.
    SuggestionEventKind {
        /// The lead deputy started a draft.
        Created = "CREATED",
        /// The draft's text was edited.
        DraftEdited = "DRAFT_EDITED",
        /// A deputy was invited to co-sign.
        CoSignerInvited = "CO_SIGNER_INVITED",
        /// An invited deputy confirmed or declined co-signing.
        CoSignAnswered = "CO_SIGN_ANSWERED",
        /// Submitted and numbered (提出).
        Submitted = "SUBMITTED",
        /// Staff returned it to the lead deputy for revision.
        ReturnedForRevision = "RETURNED_FOR_REVISION",
        /// The lead deputy withdrew it.
        Withdrawn = "WITHDRAWN",
        /// Assigned to units with a deadline (交办).
        Assigned = "ASSIGNED",
        /// A unit asked to have it assigned elsewhere (改办).
        ReassignmentRequested = "REASSIGNMENT_REQUESTED",
        /// Staff refused a reassignment request.
        ReassignmentRejected = "REASSIGNMENT_REJECTED",
        /// A unit asked for more time.
        ExtensionRequested = "EXTENSION_REQUESTED",
        /// Staff granted or refused an extension.
        ExtensionResolved = "EXTENSION_RESOLVED",
        /// A unit accepted its part (承办).
        Accepted = "ACCEPTED",
        /// A co-unit gave its opinion to the lead unit.
        CoOpinionGiven = "CO_OPINION_GIVEN",
        /// A unit recorded a contact with the deputy.
        ContactRecorded = "CONTACT_RECORDED",
        /// A unit answered its part (答复).
        Answered = "ANSWERED",
        /// The lead deputy rated an answer (评价).
        Rated = "RATED",
        /// A part is handled again after a dissatisfied rating.
        Rehandling = "REHANDLING",
        /// Still dissatisfied after handling again: flagged to staff.
        Flagged = "FLAGGED",
        /// A unit reported progress on what it promised.
        ImplementationReported = "IMPLEMENTATION_REPORTED",
        /// The lead deputy rated the implemented result.
        ResultRated = "RESULT_RATED",
        /// Merged into another suggestion.
        MergedInto = "MERGED_INTO",
        /// Another suggestion was merged into this one.
        Absorbed = "ABSORBED",
        /// Put under key supervision (重点督办).
        Supervised = "SUPERVISED",
    }
);
