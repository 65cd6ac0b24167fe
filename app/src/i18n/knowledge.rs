//! Strings of the knowledge screens (search, articles and their editor, categories,
//! synonyms, zero-result queries, SOP flows and runs, the answer bot) in both languages,
//! the names of the knowledge enumerations, and the localized reasons knowledge actions
//! are refused. A string missing in one language fails to compile.

use loopdesk::flow::{FlowError, RunError};
use loopdesk::kb::bot::BotError;
use loopdesk::kb::search::{DocKind, SynonymError};
use loopdesk::kb::{ArticleError, ArticleStatus, Audience};
use loopdesk::locale::Locale;

use super::names::names;

names!(
    /// Article status.
    article_status(ArticleStatus) {
        Draft => ("草稿", "Draft"),
        InReview => ("待审核", "In review"),
        Published => ("已发布", "Published"),
        Archived => ("已归档", "Archived"),
    }
);

names!(
    /// Audience.
    audience(Audience) {
        Internal => ("内部", "Internal"),
        Public => ("公开", "Public"),
    }
);

names!(
    /// Search document kind.
    doc_kind(DocKind) {
        Article => ("知识", "Article"),
        Flow => ("流程", "Flow"),
    }
);

/// Why an article action was refused.
pub fn article_error(e: &ArticleError, locale: Locale) -> String {
    let zh = locale == Locale::ZhCn;
    match (e, zh) {
        (ArticleError::NotInStatus(s), true) => {
            format!("文章当前为“{}”，不能这样操作", article_status(*s, locale))
        }
        (ArticleError::NotInStatus(s), false) => format!(
            "Not possible while the article is {}",
            article_status(*s, locale).to_lowercase()
        ),
        (ArticleError::OwnReview, true) => "不能审核发布自己编写的版本，请由其他编辑发布".into(),
        (ArticleError::OwnReview, false) => {
            "You cannot publish your own version; another editor must review it".into()
        }
        (ArticleError::NotEditor, true) => "只有班长和管理员可以审核、发布和归档".into(),
        (ArticleError::NotEditor, false) => {
            "Only supervisors and administrators review, publish and archive".into()
        }
        (ArticleError::Invalid { field }, _) => {
            let name = super::names::field_name(field, locale);
            let rule = match (*field, zh) {
                ("title", true) => "须为 1–120 个字符",
                ("title", false) => "must have 1–120 characters",
                ("body", true) => "须为 1–50000 个字符",
                ("body", false) => "must have 1–50 000 characters",
                ("category", true) => "必须选择",
                ("category", false) => "is required",
                ("en", true) => "英文标题和正文须同时填写或同时留空",
                ("en", false) => "needs both title and body, or neither",
                (_, true) => "最多 20 项，每项最多 120 个字符",
                (_, false) => "takes at most 20 entries of at most 120 characters",
            };
            match zh {
                true => format!("{name}{rule}"),
                false => format!("The {name} {rule}"),
            }
        }
    }
}

/// Why a flow cannot be published: every problem, one per line.
pub fn flow_errors(problems: &[FlowError], locale: Locale) -> String {
    let lines: Vec<String> = problems.iter().map(|p| flow_error(p, locale)).collect();
    match locale {
        Locale::ZhCn => format!("流程定义有 {} 处问题：\n{}", lines.len(), lines.join("\n")),
        Locale::En => format!(
            "The flow definition has {} problem(s):\n{}",
            lines.len(),
            lines.join("\n")
        ),
    }
}

/// One flow definition problem.
pub fn flow_error(e: &FlowError, locale: Locale) -> String {
    if locale == Locale::En {
        return e.to_string();
    }
    match e {
        FlowError::StartCount { found } => format!("必须有且只有一个开始节点（现有 {found} 个）"),
        FlowError::DuplicateNode(n) => format!("节点编号 {n} 重复"),
        FlowError::DuplicateField(f) => format!("字段 {f} 重复定义"),
        FlowError::UnknownNode(n) => format!("连线指向不存在的节点 {n}"),
        FlowError::NeedsOneNext(n) => format!("节点 {n} 必须有且只有一条出线"),
        FlowError::GatewayDefault(n) => format!("网关 {n} 必须有且只有一条默认分支"),
        FlowError::GatewayConditions(n) => format!("网关 {n} 至少需要一条带条件的分支"),
        FlowError::UnknownField { node, field } => {
            format!("网关 {node} 的条件使用了未定义的字段 {field}")
        }
        FlowError::ConditionOutsideGateway(n) => format!("只有网关的出线可以带条件（{n}）"),
        FlowError::EndWithEdges(n) => format!("结束节点 {n} 不能有出线"),
        FlowError::Unreachable(n) => format!("从开始节点无法到达节点 {n}"),
        FlowError::DeadEnd(n) => format!("节点 {n} 无法到达任何结束节点"),
        FlowError::Incomplete(n) => format!("{n} 不完整（缺少编号、标题或选项）"),
    }
}

/// Why a flow step was refused (`label` names the field in the reader's language).
pub fn run_error(e: &RunError, locale: Locale) -> String {
    match (e, locale) {
        (RunError::Finished, Locale::ZhCn) => "流程已结束".into(),
        (RunError::AtFirstStep, Locale::ZhCn) => "已在第一步，无法回退".into(),
        (RunError::Required(f), Locale::ZhCn) => format!("{f} 必须填写"),
        (RunError::NotNumber(f), Locale::ZhCn) => format!("{f} 必须是数字"),
        (RunError::NotOption(f), Locale::ZhCn) => format!("{f} 必须从选项中选择"),
        (RunError::NotDate(f), Locale::ZhCn) => format!("{f} 必须是日期（YYYY-MM-DD）"),
        (RunError::Broken, Locale::ZhCn) => "流程定义有误，请联系管理员".into(),
        (e, Locale::En) => {
            let s = e.to_string();
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        }
    }
}

/// Why an answer to a flow step was refused, naming the field by its label.
pub fn answer_error(label: &str, why: &RunError, locale: Locale) -> String {
    match (why, locale) {
        (RunError::Required(_), Locale::ZhCn) => format!("请填写“{label}”"),
        (RunError::NotNumber(_), Locale::ZhCn) => format!("“{label}”必须是数字"),
        (RunError::NotOption(_), Locale::ZhCn) => format!("请从选项中选择“{label}”"),
        (RunError::NotDate(_), Locale::ZhCn) => format!("“{label}”必须是日期（YYYY-MM-DD）"),
        (RunError::Required(_), Locale::En) => format!("{label} is required"),
        (RunError::NotNumber(_), Locale::En) => format!("{label} must be a number"),
        (RunError::NotOption(_), Locale::En) => format!("Choose one of the options for {label}"),
        (RunError::NotDate(_), Locale::En) => format!("{label} must be a date (YYYY-MM-DD)"),
        (other, _) => run_error(other, locale),
    }
}

/// Why the bot refused a turn.
pub fn bot_error(e: BotError, locale: Locale) -> String {
    match (e, locale) {
        (BotError::Closed, Locale::ZhCn) => "本次对话已结束，请开始新的对话".into(),
        (BotError::Question, Locale::ZhCn) => "请输入 1–500 个字的问题".into(),
        (BotError::TooLong, Locale::ZhCn) => "本次对话问题过多，请转人工处理".into(),
        (BotError::NotOffered, Locale::ZhCn) => "请从推荐的答案中选择".into(),
        (BotError::NothingToRate, Locale::ZhCn) => "还没有可以评价的答案".into(),
        (BotError::Closed, Locale::En) => "This conversation is over; start a new one".into(),
        (BotError::Question, Locale::En) => "Ask a question of 1–500 characters".into(),
        (BotError::TooLong, Locale::En) => {
            "Too many questions in one conversation; hand over to an agent".into()
        }
        (BotError::NotOffered, Locale::En) => "Choose one of the suggested answers".into(),
        (BotError::NothingToRate, Locale::En) => "There is no answer to rate yet".into(),
    }
}

/// Why a synonym group was refused (after the field name).
pub fn synonym_error(e: SynonymError, locale: Locale) -> String {
    match (e, locale) {
        (SynonymError::Count, Locale::ZhCn) => "须包含 2–10 个不同的词".into(),
        (SynonymError::Word, Locale::ZhCn) => "每个词 1–20 个字符".into(),
        (SynonymError::Count, Locale::En) => "needs 2–10 different words".into(),
        (SynonymError::Word, Locale::En) => "takes words of 1–20 characters".into(),
    }
}

/// The knowledge screens' strings in one language.
#[allow(missing_docs)]
pub struct KbTexts {
    pub add: &'static str,
    pub add_edge: &'static str,
    pub add_node: &'static str,
    pub archive: &'static str,
    pub ask_bot: &'static str,
    pub audience_all: &'static str,
    pub audience_internal: &'static str,
    pub audience_public: &'static str,
    pub author: &'static str,
    pub back: &'static str,
    pub back_step: &'static str,
    pub body_markdown: &'static str,
    pub bot_greeting: &'static str,
    pub bot_handed_over: &'static str,
    pub bot_placeholder: &'static str,
    pub bot_solved: &'static str,
    pub bot_title: &'static str,
    pub categories: &'static str,
    pub category: &'static str,
    pub category_all: &'static str,
    pub category_path: &'static str,
    pub col_asked_by: &'static str,
    pub col_audience: &'static str,
    pub col_count: &'static str,
    pub col_last: &'static str,
    pub col_query: &'static str,
    pub col_status: &'static str,
    pub col_title: &'static str,
    pub col_updated: &'static str,
    pub col_used: &'static str,
    pub col_version: &'static str,
    pub col_views: &'static str,
    pub col_votes: &'static str,
    pub current_step: &'static str,
    pub diagram: &'static str,
    pub did_it_help: &'static str,
    pub diff_previous: &'static str,
    pub edge_condition: &'static str,
    pub edge_default: &'static str,
    pub edge_field: &'static str,
    pub edge_from: &'static str,
    pub edge_to: &'static str,
    pub edge_value: &'static str,
    pub edges: &'static str,
    pub edit: &'static str,
    pub edit_article: &'static str,
    pub english_version: &'static str,
    pub fields_hint: &'static str,
    pub flow_done: &'static str,
    pub flow_editor: &'static str,
    pub flow_problems: &'static str,
    pub hand_over: &'static str,
    pub helped: &'static str,
    pub history: &'static str,
    pub insert: &'static str,
    pub keywords: &'static str,
    pub kind: &'static str,
    pub kind_all: &'static str,
    pub kind_article: &'static str,
    pub kind_articles: &'static str,
    pub kind_flow: &'static str,
    pub kind_flows: &'static str,
    pub live_version: &'static str,
    pub name_en: &'static str,
    pub name_zh: &'static str,
    pub new_article: &'static str,
    pub new_flow: &'static str,
    pub next: &'static str,
    pub no_articles: &'static str,
    pub no_articles_hint: &'static str,
    pub no_results: &'static str,
    pub no_results_hint: &'static str,
    pub no_runs: &'static str,
    pub no_runs_hint: &'static str,
    pub no_suggestions: &'static str,
    pub no_zero: &'static str,
    pub node_fields: &'static str,
    pub node_id: &'static str,
    pub node_text: &'static str,
    pub node_type: &'static str,
    pub nodes: &'static str,
    pub nodes_hint: &'static str,
    pub not_helped: &'static str,
    pub one_per_line: &'static str,
    pub open_article: &'static str,
    pub outcome_hint: &'static str,
    pub preview: &'static str,
    pub publish: &'static str,
    pub published: &'static str,
    pub reject: &'static str,
    pub remove: &'static str,
    pub results: &'static str,
    pub revise: &'static str,
    pub rolled_back: &'static str,
    pub save: &'static str,
    pub save_draft: &'static str,
    pub saved: &'static str,
    pub search: &'static str,
    pub search_placeholder: &'static str,
    pub send: &'static str,
    pub similar_questions: &'static str,
    pub start_flow: &'static str,
    pub submit_review: &'static str,
    pub suggestions: &'static str,
    pub synonyms: &'static str,
    pub synonyms_hint: &'static str,
    pub tab_archived: &'static str,
    pub tab_articles: &'static str,
    pub tab_drafts: &'static str,
    pub tab_flows: &'static str,
    pub tab_review: &'static str,
    pub tab_runs: &'static str,
    pub tab_zero: &'static str,
    pub tags: &'static str,
    pub tags_hint: &'static str,
    pub text_en: &'static str,
    pub text_zh: &'static str,
    pub thanks: &'static str,
    pub ticket_registered: &'static str,
    pub title_en: &'static str,
    pub title_portal: &'static str,
    pub title_staff: &'static str,
    pub title_zh: &'static str,
    pub type_end: &'static str,
    pub type_gateway: &'static str,
    pub type_start: &'static str,
    pub type_task: &'static str,
    pub type_ticket: &'static str,
    pub unpublished: &'static str,
    pub version: &'static str,
    pub versions: &'static str,
    pub view_flow: &'static str,
    pub view_published: &'static str,
    pub views: &'static str,
    pub was_helpful: &'static str,
    pub working_version: &'static str,
    pub zero_hint: &'static str,
}

static ZH: KbTexts = KbTexts {
    add: "添加",
    add_edge: "添加连线",
    add_node: "添加节点",
    archive: "归档",
    ask_bot: "问问智能助手",
    audience_all: "全部可见范围",
    audience_internal: "内部（仅员工）",
    audience_public: "公开（客户可见）",
    author: "作者",
    back: "返回",
    back_step: "上一步",
    body_markdown: "正文（Markdown）",
    bot_greeting: "您好！我是智能助手，请用自己的话描述您的问题。",
    bot_handed_over: "已转人工处理，工单号",
    bot_placeholder: "请输入您的问题",
    bot_solved: "很高兴帮到您！",
    bot_title: "智能助手",
    categories: "知识分类",
    category: "分类",
    category_all: "全部分类",
    category_path: "分类路径",
    col_asked_by: "提问方",
    col_audience: "可见范围",
    col_count: "次数",
    col_last: "最近",
    col_query: "搜索词",
    col_status: "状态",
    col_title: "标题",
    col_updated: "更新时间",
    col_used: "被引用",
    col_version: "版本",
    col_views: "浏览",
    col_votes: "评价",
    current_step: "当前步骤",
    diagram: "流程图",
    did_it_help: "这个答案解决您的问题了吗？",
    diff_previous: "与上一版比较",
    edge_condition: "条件",
    edge_default: "默认",
    edge_field: "字段",
    edge_from: "从",
    edge_to: "到",
    edge_value: "值",
    edges: "连线",
    edit: "编辑",
    edit_article: "编辑知识",
    english_version: "英文版本（可选）",
    fields_hint: "字段：名称 | 中文标签 | 英文标签 | text/number/date/choice:a,b | required",
    flow_done: "流程已完成",
    flow_editor: "流程编辑",
    flow_problems: "当前定义有问题，修正后才能发布：",
    hand_over: "转人工",
    helped: "解决了",
    history: "已完成的步骤",
    insert: "插入回复",
    keywords: "关键词（搜索用）",
    kind: "类型",
    kind_all: "知识和流程",
    kind_article: "知识",
    kind_articles: "仅知识",
    kind_flow: "流程",
    kind_flows: "仅流程",
    live_version: "已发布",
    name_en: "英文名称",
    name_zh: "中文名称",
    new_article: "新建知识",
    new_flow: "新建流程",
    next: "下一步",
    no_articles: "暂无知识",
    no_articles_hint: "这里还没有文章。",
    no_results: "没有找到相关内容",
    no_results_hint: "换个说法试试，或使用更短的关键词。该搜索词已记录，编辑会补充内容。",
    no_runs: "没有进行中的流程",
    no_runs_hint: "从流程列表开始一个自助流程，可随时回来继续。",
    no_suggestions: "没有推荐内容",
    no_zero: "没有无结果的搜索",
    node_fields: "字段 / 工单设置",
    node_id: "编号",
    node_text: "说明（中 / 英）",
    node_type: "类型",
    nodes: "节点",
    nodes_hint: "任务节点填写说明和字段；结束节点填写结果说明；“登记工单”节点填写工单标题（可用 {字段名}），并在右侧填写“类型 | 分类”。",
    not_helped: "没有解决",
    one_per_line: "每行一个",
    open_article: "查看完整文章",
    outcome_hint: "工单：类型 | 分类，如 complaint | billing/dispute",
    preview: "预览",
    publish: "审核发布",
    published: "已发布",
    reject: "退回修改",
    remove: "删除",
    results: "搜索结果",
    revise: "修订",
    rolled_back: "已回退",
    save: "保存",
    save_draft: "保存草稿",
    saved: "已保存",
    search: "搜索",
    search_placeholder: "输入问题或关键词，如“宽带断网”",
    send: "发送",
    similar_questions: "相似问法",
    start_flow: "开始流程",
    submit_review: "提交审核",
    suggestions: "推荐知识",
    synonyms: "同义词",
    synonyms_hint: "同一组内的词在搜索时互相替代，立即生效。",
    tab_archived: "已归档",
    tab_articles: "知识",
    tab_drafts: "草稿",
    tab_flows: "自助流程",
    tab_review: "待审核",
    tab_runs: "进行中的流程",
    tab_zero: "无结果搜索",
    tags: "标签",
    tags_hint: "用逗号分隔",
    text_en: "英文",
    text_zh: "中文",
    thanks: "感谢您的反馈",
    ticket_registered: "已为您登记工单",
    title_en: "英文标题",
    title_portal: "帮助中心",
    title_staff: "知识库",
    title_zh: "中文标题",
    type_end: "结束：已解决",
    type_gateway: "判断",
    type_start: "开始",
    type_task: "任务",
    type_ticket: "结束：登记工单",
    unpublished: "未发布",
    version: "版本",
    versions: "历史版本",
    view_flow: "查看流程图",
    view_published: "查看已发布版本",
    views: "浏览",
    was_helpful: "这篇文章有帮助吗？",
    working_version: "编辑版本",
    zero_hint: "这些搜索没有找到任何内容，请考虑补充知识或同义词。",
};

static EN: KbTexts = KbTexts {
    add: "Add",
    add_edge: "Add edge",
    add_node: "Add node",
    archive: "Archive",
    ask_bot: "Ask the assistant",
    audience_all: "Any audience",
    audience_internal: "Internal (staff only)",
    audience_public: "Public (customers too)",
    author: "Author",
    back: "Back",
    back_step: "Previous step",
    body_markdown: "Body (Markdown)",
    bot_greeting: "Hello! I'm the assistant. Describe your problem in your own words.",
    bot_handed_over: "Handed over to an agent; ticket",
    bot_placeholder: "Type your question",
    bot_solved: "Glad that helped!",
    bot_title: "Assistant",
    categories: "Knowledge categories",
    category: "Category",
    category_all: "All categories",
    category_path: "Category path",
    col_asked_by: "Asked by",
    col_audience: "Audience",
    col_count: "Times",
    col_last: "Last",
    col_query: "Query",
    col_status: "Status",
    col_title: "Title",
    col_updated: "Updated",
    col_used: "Used",
    col_version: "Version",
    col_views: "Views",
    col_votes: "Votes",
    current_step: "Current step",
    diagram: "Flow diagram",
    did_it_help: "Did this answer help?",
    diff_previous: "Compare with previous",
    edge_condition: "Condition",
    edge_default: "Default",
    edge_field: "field",
    edge_from: "From",
    edge_to: "To",
    edge_value: "value",
    edges: "Edges",
    edit: "Edit",
    edit_article: "Edit article",
    english_version: "English version (optional)",
    fields_hint: "Fields: name | Chinese label | English label | text/number/date/choice:a,b | required",
    flow_done: "Flow finished",
    flow_editor: "Flow editor",
    flow_problems: "The definition has problems; fix them before publishing:",
    hand_over: "Talk to an agent",
    helped: "Yes, solved",
    history: "Steps so far",
    insert: "Insert",
    keywords: "Keywords (for search)",
    kind: "Type",
    kind_all: "Articles and flows",
    kind_article: "Article",
    kind_articles: "Articles only",
    kind_flow: "Flow",
    kind_flows: "Flows only",
    live_version: "Published",
    name_en: "English name",
    name_zh: "Chinese name",
    new_article: "New article",
    new_flow: "New flow",
    next: "Next",
    no_articles: "No articles",
    no_articles_hint: "There are no articles here yet.",
    no_results: "Nothing found",
    no_results_hint: "Try other or shorter words. The query was recorded so editors can add content.",
    no_runs: "No flows in progress",
    no_runs_hint: "Start a flow from the list; you can come back and continue any time.",
    no_suggestions: "No suggestions",
    no_zero: "No empty searches",
    node_fields: "Fields / ticket settings",
    node_id: "Id",
    node_text: "Text (zh / en)",
    node_type: "Type",
    nodes: "Nodes",
    nodes_hint: "Tasks take instructions and fields; ends take the outcome note; “register ticket” ends take the ticket subject (with {field} placeholders) and “kind | category” on the right.",
    not_helped: "No, it didn't",
    one_per_line: "One per line",
    open_article: "Open the article",
    outcome_hint: "Ticket: kind | category, e.g. complaint | billing/dispute",
    preview: "Preview",
    publish: "Publish",
    published: "Published",
    reject: "Send back",
    remove: "Remove",
    results: "Results",
    revise: "Revise",
    rolled_back: "rolled back",
    save: "Save",
    save_draft: "Save draft",
    saved: "Saved",
    search: "Search",
    search_placeholder: "Type a question or words, e.g. “broadband down”",
    send: "Send",
    similar_questions: "Similar questions",
    start_flow: "Start the flow",
    submit_review: "Submit for review",
    suggestions: "Suggested answers",
    synonyms: "Synonyms",
    synonyms_hint: "Words in a group stand in for each other in searches, at once.",
    tab_archived: "Archived",
    tab_articles: "Articles",
    tab_drafts: "Drafts",
    tab_flows: "Flows",
    tab_review: "In review",
    tab_runs: "My flows in progress",
    tab_zero: "Empty searches",
    tags: "Tags",
    tags_hint: "Separated by commas",
    text_en: "English",
    text_zh: "Chinese",
    thanks: "Thanks for the feedback",
    ticket_registered: "A ticket was registered:",
    title_en: "English title",
    title_portal: "Help center",
    title_staff: "Knowledge base",
    title_zh: "Chinese title",
    type_end: "End: resolved",
    type_gateway: "Gateway",
    type_start: "Start",
    type_task: "Task",
    type_ticket: "End: register ticket",
    unpublished: "Unpublished",
    version: "Version",
    versions: "Versions",
    view_flow: "View the flow",
    view_published: "View the published version",
    views: "Views",
    was_helpful: "Was this article helpful?",
    working_version: "Working version",
    zero_hint: "These searches found nothing; consider new articles or synonyms.",
};

/// The knowledge strings for a language.
pub fn kt(locale: Locale) -> &'static KbTexts {
    match locale {
        Locale::ZhCn => &ZH,
        Locale::En => &EN,
    }
}
