//! Standard phrases (规范用语): what to say in each call situation, in Chinese and English,
//! as steps with the pauses the service norms prescribe (the silent-line procedure's
//! 5-second waits), with the forbidden phrase (服务禁语) beside it. Texts carry variables
//! filled for the call at hand: `{agent_no}` (工号), `{customer}` (surname + 先生/女士),
//! `{greeting}` (早上好/下午好/晚上好) and `{center}`. The default catalogue follows the
//! requirements' situation table (S1–S34).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::locale::Locale;

/// One thing to say, then how long to wait before the next step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhraseStep {
    /// Chinese text.
    pub zh: String,
    /// English text.
    pub en: String,
    /// Seconds to wait after saying it (0: none).
    #[serde(default)]
    pub pause_seconds: u32,
}

/// A situation's phrase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phrase {
    /// Id.
    pub id: Uuid,
    /// Order in the panel.
    pub position: u32,
    /// Situation title, Chinese.
    pub title_zh: String,
    /// Situation title, English.
    pub title_en: String,
    /// Steps.
    pub steps: Vec<PhraseStep>,
    /// What must not be said, Chinese.
    #[serde(default)]
    pub forbidden_zh: String,
    /// What must not be said, English.
    #[serde(default)]
    pub forbidden_en: String,
}

/// Why a phrase was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum PhraseError {
    /// A title is empty.
    #[error("both titles are required")]
    TitleRequired,
    /// No steps, or a step without text.
    #[error("every step needs its Chinese and English text")]
    StepRequired,
    /// A pause over a minute.
    #[error("pauses are at most 60 seconds")]
    PauseTooLong,
    /// An unknown `{variable}`.
    #[error("unknown variable")]
    UnknownVariable,
}

/// The variables a phrase may use.
pub const VARIABLES: [&str; 4] = ["agent_no", "customer", "greeting", "center"];

impl Phrase {
    /// Checks titles, steps, pauses and variables; trims texts.
    pub fn validated(mut self) -> Result<Phrase, PhraseError> {
        self.title_zh = self.title_zh.trim().to_owned();
        self.title_en = self.title_en.trim().to_owned();
        if self.title_zh.is_empty() || self.title_en.is_empty() {
            return Err(PhraseError::TitleRequired);
        }
        if self.steps.is_empty() {
            return Err(PhraseError::StepRequired);
        }
        for step in &mut self.steps {
            step.zh = step.zh.trim().to_owned();
            step.en = step.en.trim().to_owned();
            if step.zh.is_empty() || step.en.is_empty() {
                return Err(PhraseError::StepRequired);
            }
            if step.pause_seconds > 60 {
                return Err(PhraseError::PauseTooLong);
            }
            if !variables_known(&step.zh) || !variables_known(&step.en) {
                return Err(PhraseError::UnknownVariable);
            }
        }
        self.forbidden_zh = self.forbidden_zh.trim().to_owned();
        self.forbidden_en = self.forbidden_en.trim().to_owned();
        Ok(self)
    }
}

fn variables_known(text: &str) -> bool {
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            return false;
        };
        if !VARIABLES.contains(&&rest[start + 1..start + len]) {
            return false;
        }
        rest = &rest[start + len + 1..];
    }
    true
}

/// How to address the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Salutation {
    /// 先生.
    Mr,
    /// 女士.
    Ms,
}

/// Values for one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseContext {
    /// The agent's number (工号).
    pub agent_no: String,
    /// The customer's full name, when known.
    pub customer_name: Option<String>,
    /// How to address them.
    pub salutation: Option<Salutation>,
    /// Local hour of day, 0–23.
    pub hour: u32,
    /// The center's name.
    pub center: String,
}

/// Two-character Chinese surnames (复姓) that must not be cut to one character.
const COMPOUND_SURNAMES: [&str; 10] = [
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "司徒", "夏侯",
];

/// The surname of a Chinese name (compound surnames kept whole); for a Latin-script name,
/// its last word.
pub fn surname(name: &str) -> String {
    let name = name.trim();
    if name.is_ascii() {
        return name.split_whitespace().last().unwrap_or("").to_owned();
    }
    match COMPOUND_SURNAMES.iter().find(|s| name.starts_with(*s)) {
        Some(s) => (*s).to_owned(),
        None => name.chars().take(1).collect(),
    }
}

/// How the customer is addressed: 张先生 / Mr 张; without a known salutation the name as
/// is (您 / you when unknown).
pub fn address(ctx: &PhraseContext, locale: Locale) -> String {
    let Some(name) = ctx
        .customer_name
        .as_deref()
        .filter(|n| !n.trim().is_empty())
    else {
        return match locale {
            Locale::ZhCn => "您".into(),
            Locale::En => "you".into(),
        };
    };
    let s = surname(name);
    match (locale, ctx.salutation) {
        (Locale::ZhCn, Some(Salutation::Mr)) => format!("{s}先生"),
        (Locale::ZhCn, Some(Salutation::Ms)) => format!("{s}女士"),
        (Locale::En, Some(Salutation::Mr)) => format!("Mr {s}"),
        (Locale::En, Some(Salutation::Ms)) => format!("Ms {s}"),
        (_, None) => name.trim().to_owned(),
    }
}

/// Fills the variables of `text` for the call.
pub fn render(text: &str, ctx: &PhraseContext, locale: Locale) -> String {
    let greeting = match (locale, ctx.hour) {
        (Locale::ZhCn, 0..=11) => "早上好",
        (Locale::ZhCn, 12..=17) => "下午好",
        (Locale::ZhCn, _) => "晚上好",
        (Locale::En, 0..=11) => "Good morning",
        (Locale::En, 12..=17) => "Good afternoon",
        (Locale::En, _) => "Good evening",
    };
    text.replace("{agent_no}", &ctx.agent_no)
        .replace("{customer}", &address(ctx, locale))
        .replace("{greeting}", greeting)
        .replace("{center}", &ctx.center)
}

fn step(zh: &str, en: &str, pause_seconds: u32) -> PhraseStep {
    PhraseStep {
        zh: zh.into(),
        en: en.into(),
        pause_seconds,
    }
}

/// The default catalogue (ids derived from the position, so seeding twice is harmless).
pub fn defaults() -> Vec<Phrase> {
    let p = |pos: u32, title_zh: &str, title_en: &str, steps, fz: &str, fe: &str| Phrase {
        id: Uuid::from_u128(0x9e_0000 + pos as u128),
        position: pos,
        title_zh: title_zh.into(),
        title_en: title_en.into(),
        steps,
        forbidden_zh: fz.into(),
        forbidden_en: fe.into(),
    };
    vec![
        p(1, "开头问候", "Opening greeting", vec![step(
            "您好,欢迎致电{center},{agent_no}号客服代表很高兴为您服务,请问有什么可以帮助您?",
            "Hello, welcome to {center}. Agent {agent_no} at your service. How may I help you?", 0)],
            "喂,说话呀!", "\"Hey, say something!\""),
        p(2, "已知客户姓名", "Caller's name known", vec![step(
            "{customer},您好,请问有什么可以帮助您?",
            "Hello {customer}, how may I help you?", 0)],
            "无视客户的姓名", "Ignoring the caller's name"),
        p(3, "无声电话", "Silent line", vec![
            step("您好!请问有什么可以帮助您?", "Hello! How may I help you?", 5),
            step("您好!请问有什么可以帮助您?", "Hello! How may I help you?", 5),
            step("对不起,您的电话没有声音,请您换一部电话再次打来,好吗?再见!",
                 "Sorry, we cannot hear you. Please call again from another phone. Goodbye!", 5),
            step("(挂机)", "(hang up)", 0)],
            "喂,说话呀!再不说话我就挂了啊!", "\"Say something or I'll hang up!\""),
        p(4, "客户声音太小", "Caller too quiet", vec![
            step("对不起!请您大声一点,好吗?", "Sorry, could you speak a little louder, please?", 0),
            step("对不起,您的声音太小,请您换一部电话挂来,好吗?",
                 "Sorry, we still cannot hear you clearly. Could you call again from another phone?", 5),
            step("(挂机)", "(hang up)", 0)],
            "喂,大声一点儿!", "\"Speak up!\""),
        p(5, "线路杂音", "Noisy line", vec![
            step("对不起,您的电话杂音太大,听不清,请您换一部电话再次打来好吗?再见!",
                 "Sorry, there is too much noise on the line. Could you call again from another phone? Goodbye!", 5),
            step("(挂机)", "(hang up)", 0)],
            "直接挂机", "Hanging up without a word"),
        p(6, "方言听不懂", "Dialect not understood", vec![
            step("对不起,请您讲普通话,好吗?谢谢!", "Sorry, could you speak Mandarin, please? Thank you!", 0),
            step("对不起,请您找一个可以讲普通话的人来,好吗?谢谢!",
                 "Sorry, could someone who speaks Mandarin come to the phone? Thank you!", 0)],
            "直接挂机", "Hanging up without a word"),
        p(7, "请客户等待", "Asking the caller to hold", vec![
            step("对不起,请您稍等片刻,好吗?", "Sorry, may I put you on hold for a moment?", 0),
            step("对不起,让您久等了。", "Sorry to have kept you waiting.", 0)],
            "未经同意让客户等待", "Putting the caller on hold without asking"),
        p(8, "没有听清", "Did not hear the request", vec![step(
            "对不起,我没有听清楚您的问题,请您重复一遍好吗?",
            "Sorry, I did not catch that. Could you repeat it, please?", 0)],
            "喂,什么!你说什么", "\"What? What did you say?\""),
        p(9, "打错电话", "Wrong number", vec![step(
            "对不起,这里是{center},请您查证后再拨。",
            "Sorry, this is {center}. Please check the number and call again.", 0)], "", ""),
        p(10, "客户情绪激动", "Angry caller", vec![
            step("对不起,{customer},请问有什么可以帮您?", "I am sorry, {customer}. How can I help you?", 0),
            step("我理解您的心情,您别急,我马上帮您处理。",
                 "I understand how you feel. Please don't worry, I will take care of it right away.", 0)],
            "与客户争辩", "Arguing with the caller"),
        p(11, "询问坐席姓名", "Caller asks the agent's name", vec![step(
            "对不起,我的工号是{agent_no}号。", "My agent number is {agent_no}.", 0)],
            "告知全名", "Giving one's full name"),
        p(12, "受理投诉", "Taking a complaint", vec![step(
            "很抱歉给您添麻烦了!我们会在第一时间将处理结果反馈给您,请问您的联系电话是?",
            "We are very sorry for the trouble. We will let you know the outcome as soon as possible. What number can we reach you on?", 0)],
            "", ""),
        p(13, "回访开场", "Follow-up call opener", vec![step(
            "{customer},{greeting}!我是{center}{agent_no}号客服,想针对我们的服务满意程度做个简单的回访,请问您现在是否方便?",
            "{greeting}, {customer}! This is agent {agent_no} of {center}. May I take a few minutes to ask how satisfied you are with our service?", 0)],
            "", ""),
        p(14, "结束语", "Closing", vec![
            step("请问还需要其它帮助吗?", "Is there anything else I can help you with?", 0),
            step("感谢您的来电,请您先挂机,再见!", "Thank you for calling. Please hang up first. Goodbye!", 0)],
            "", ""),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(name: Option<&str>, salutation: Option<Salutation>, hour: u32) -> PhraseContext {
        PhraseContext {
            agent_no: "1024".into(),
            customer_name: name.map(str::to_owned),
            salutation,
            hour,
            center: "10000号客服热线".into(),
        }
    }

    #[test]
    fn surnames_keep_compound_ones_whole() {
        assert_eq!(surname("张明"), "张");
        assert_eq!(surname("欧阳娜娜"), "欧阳");
        assert_eq!(surname("Ann Lee"), "Lee");
    }

    #[test]
    fn variables_are_filled_for_the_call_in_both_languages() {
        let c = ctx(Some("张明"), Some(Salutation::Mr), 9);
        let text = "{customer},{greeting}!{agent_no}";
        assert_eq!(render(text, &c, Locale::ZhCn), "张先生,早上好!1024");
        assert_eq!(render(text, &c, Locale::En), "Mr 张,Good morning!1024");
        let w = ctx(Some("刘洋"), Some(Salutation::Ms), 20);
        assert_eq!(
            render("{customer} {greeting}", &w, Locale::ZhCn),
            "刘女士 晚上好"
        );
        assert_eq!(
            render("{customer}", &ctx(None, None, 14), Locale::ZhCn),
            "您"
        );
        assert_eq!(
            render("{customer}", &ctx(Some("孙丽"), None, 14), Locale::En),
            "孙丽"
        );
    }

    #[test]
    fn the_catalogue_is_valid_and_the_silent_line_waits_5_seconds_thrice() {
        let all = defaults();
        assert!(all.len() >= 14);
        for p in &all {
            assert_eq!(p.clone().validated().as_ref(), Ok(p), "{}", p.title_en);
        }
        let silent = all.iter().find(|p| p.title_en == "Silent line").unwrap();
        let pauses: Vec<u32> = silent.steps.iter().map(|s| s.pause_seconds).collect();
        assert_eq!(pauses, vec![5, 5, 5, 0]);
    }

    #[test]
    fn edits_are_checked() {
        let mut p = defaults().remove(0);
        p.steps[0].en = "Hi {agent}".into();
        assert_eq!(p.clone().validated(), Err(PhraseError::UnknownVariable));
        p.steps[0].en = "Hi {agent_no".into();
        assert_eq!(p.clone().validated(), Err(PhraseError::UnknownVariable));
        p.steps[0].en = " ".into();
        assert_eq!(p.clone().validated(), Err(PhraseError::StepRequired));
        p.steps.clear();
        assert_eq!(p.clone().validated(), Err(PhraseError::StepRequired));
        let mut q = defaults().remove(0);
        q.steps[0].pause_seconds = 61;
        assert_eq!(q.clone().validated(), Err(PhraseError::PauseTooLong));
        q.title_en = "".into();
        assert_eq!(q.validated(), Err(PhraseError::TitleRequired));
    }
}
