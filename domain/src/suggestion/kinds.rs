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
