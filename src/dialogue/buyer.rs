//! The simulated buyer: deterministic for a scenario and a seed.
//!
//! The buyer has a mood (0–100) that apology and empathy raise and blame, rude
//! words, arguing, pushing for a revised review and empty talk lower. It reveals
//! the true cause only when asked, accepts a remedy that meets what it would
//! accept, and at the end agrees (or not) to revise the review. Its words come
//! from `data/dialogue/buyer-lines.json`.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::amount::cash_offers;
use super::error::{check_text, DialogueError};
use super::rubric::{CompiledMarkers, Rubric};
use super::scenario::{scenario, Persona, Remedy, Scenario};
use super::transcript::{Transcript, Turn};
use crate::rng::{fnv1a, Rng};
use crate::text::{compile, normalize, GuardUse, Guards, Normalized, Pattern};

const LINES: &str = include_str!("../../data/dialogue/buyer-lines.json");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LineBank {
    #[serde(rename = "$schema", default)]
    _schema: Option<String>,
    initial_mood: HashMap<Persona, i32>,
    remedy_words: HashMap<Remedy, Vec<String>>,
    lines: HashMap<Persona, HashMap<String, Vec<String>>>,
}

fn bank() -> Option<&'static LineBank> {
    static B: OnceLock<Option<LineBank>> = OnceLock::new();
    B.get_or_init(|| serde_json::from_str(LINES).ok()).as_ref()
}

/// Why the buyer line bank would not load (for tests).
pub fn lines_error() -> Option<String> {
    serde_json::from_str::<LineBank>(LINES)
        .err()
        .map(|e| e.to_string())
}

/// What the buyer noticed in the agent's message (for hints and the final report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// A sincere apology.
    Apology,
    /// Empathy.
    Empathy,
    /// A question about the cause.
    AskedCause,
    /// A remedy was proposed.
    Offer,
    /// The agent asked what the buyer wants.
    AskedWish,
    /// A demand was declined.
    Declined,
    /// Evidence or the platform's complaint route was mentioned.
    Evidence,
    /// A request to revise the review.
    ReviewRequest,
    /// A warm closing.
    WarmClose,
    /// Blame, rude words or arguing.
    Offended,
    /// Nothing the buyer could act on.
    Idle,
}

/// The buyer's answer to one agent message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuyerTurn {
    /// What the buyer says.
    pub text: String,
    /// Mood after this turn, 0 (furious) to 100 (happy).
    pub mood: i32,
    /// The mood in Chinese.
    pub mood_label: String,
    /// The true cause, on the turn it is revealed.
    pub revealed_cause: Option<String>,
    /// Whether the buyer has accepted a remedy (so far).
    pub accepted: bool,
    /// Whether the buyer has ended the conversation.
    pub finished: bool,
    /// What the buyer noticed in the agent's message.
    pub events: Vec<Event>,
}

/// How the conversation ended, with reasons in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// Whether the conversation is over.
    pub finished: bool,
    /// Whether the buyer accepted a remedy.
    pub accepted: bool,
    /// Whether the buyer will revise the review.
    pub revised: bool,
    /// Final mood.
    pub mood: i32,
    /// The mood in Chinese.
    pub mood_label: String,
    /// The true cause (shown at the end).
    pub true_cause: String,
    /// Why it went this way.
    pub reasons: Vec<String>,
}

/// Mood in Chinese.
pub fn mood_label(mood: i32) -> &'static str {
    match mood {
        i32::MIN..=19 => "非常生气",
        20..=39 => "不满",
        40..=59 => "平静",
        60..=79 => "比较满意",
        _ => "满意",
    }
}

struct Detect {
    guards: Guards,
    markers: CompiledMarkers,
    apology: Vec<Pattern>,
    empathy: Vec<Pattern>,
    ask: Vec<Pattern>,
    review: Vec<Pattern>,
    close: Vec<Pattern>,
    evidence: Vec<Pattern>,
    offend: Vec<Pattern>,
    remedies: Vec<(Remedy, Vec<Pattern>)>,
}

fn detect() -> &'static Detect {
    static D: OnceLock<Detect> = OnceLock::new();
    D.get_or_init(|| {
        let r = Rubric::built_in();
        let phrases = |id: &str| {
            r.steps
                .iter()
                .flat_map(|s| s.criteria.iter())
                .find(|c| c.id == id)
                .map(|c| compile(&c.phrases))
                .unwrap_or_default()
        };
        let offend: Vec<String> = r
            .violations
            .iter()
            .filter(|v| v.code != "premature_review_request")
            .flat_map(|v| v.phrases.iter().cloned())
            .collect();
        let mut remedies: Vec<(Remedy, Vec<Pattern>)> = bank()
            .map(|b| {
                b.remedy_words
                    .iter()
                    .map(|(k, v)| (*k, compile(v)))
                    .collect()
            })
            .unwrap_or_default();
        remedies.sort_by_key(|(k, _)| *k);
        Detect {
            guards: r.compiled_guards(),
            markers: r.markers.compile(),
            apology: phrases("apology_before_remedy"),
            empathy: phrases("empathy"),
            ask: phrases("ask_cause"),
            review: phrases("review_request"),
            close: phrases("warm_close"),
            evidence: phrases("evidence_and_complaint"),
            offend: compile(&offend),
            remedies,
        }
    })
}

const PLAIN: GuardUse = GuardUse {
    negation: true,
    conditional: true,
};

impl Detect {
    fn has(&self, n: &Normalized, p: &[Pattern]) -> bool {
        self.guards.find(n, p, PLAIN).is_some()
    }
}

/// A simulated buyer for one scenario.
#[derive(Debug, Clone)]
pub struct BuyerSim {
    scenario: &'static Scenario,
    rng: Rng,
    mood: i32,
    apologized: bool,
    apologized_before_offer: bool,
    offered: bool,
    owes_apology: bool,
    revealed: bool,
    accepted: bool,
    finished: bool,
    revised: bool,
    review_asked: bool,
    pushed: bool,
    offended: u32,
    counter_offers: u32,
    over_bottom_line: Option<u32>,
    accepted_remedy: Vec<Remedy>,
    agent_turns: usize,
    turns: Vec<Turn>,
}

/// Most agent messages before the buyer loses patience.
pub const PATIENCE_TURNS: usize = 12;

impl BuyerSim {
    /// A buyer for a scenario id and a seed. The buyer's opening line is turn 0.
    pub fn new(scenario_id: &str, seed: u64) -> Result<BuyerSim, DialogueError> {
        let scenario = scenario(scenario_id)?;
        let mood = bank()
            .and_then(|b| b.initial_mood.get(&scenario.persona).copied())
            .unwrap_or(40);
        Ok(BuyerSim {
            scenario,
            rng: Rng::new(seed ^ fnv1a(&scenario.id)),
            mood,
            apologized: false,
            apologized_before_offer: false,
            offered: false,
            owes_apology: false,
            revealed: false,
            accepted: false,
            finished: false,
            revised: false,
            review_asked: false,
            pushed: false,
            offended: 0,
            counter_offers: 0,
            over_bottom_line: None,
            accepted_remedy: Vec::new(),
            agent_turns: 0,
            turns: vec![Turn::buyer(scenario.opening.clone())],
        })
    }

    /// The scenario being played.
    pub fn scenario(&self) -> &'static Scenario {
        self.scenario
    }

    /// The buyer's opening line.
    pub fn opening(&self) -> &str {
        &self.scenario.opening
    }

    /// The current mood.
    pub fn mood(&self) -> i32 {
        self.mood
    }

    /// The dialogue so far, ready for [`super::grade`].
    pub fn transcript(&self) -> Transcript {
        Transcript {
            scenario: self.scenario.id.clone(),
            turns: self.turns.clone(),
            record: None,
            rubric: None,
        }
    }

    fn line(&mut self, key: &str) -> String {
        let persona = self.scenario.persona;
        let options: Vec<String> = bank()
            .and_then(|b| b.lines.get(&persona))
            .and_then(|m| m.get(key))
            .cloned()
            .unwrap_or_default();
        let i = self.rng.below(options.len());
        options.get(i).cloned().unwrap_or_else(|| "……".to_string())
    }

    fn shift(&mut self, delta: i32) {
        self.mood = (self.mood + delta).clamp(0, 100);
    }

    /// The buyer's answer to one agent message. Errors leave the buyer unchanged.
    pub fn respond(&mut self, agent_text: &str) -> Result<BuyerTurn, DialogueError> {
        if self.finished {
            return Err(DialogueError::DialogueOver);
        }
        check_text(agent_text, None)?;
        let d = detect();
        let n = normalize(agent_text);
        let s = self.scenario;
        let mut events = Vec::new();

        let apology = d.has(&n, &d.apology);
        let empathy = d.has(&n, &d.empathy);
        let ask = d.has(&n, &d.ask);
        let offend = d.has(&n, &d.offend);
        let review = d.has(&n, &d.review);
        let close = d.has(&n, &d.close);
        let evidence = d.has(&n, &d.evidence);
        let declined = d.has(&n, &d.markers.decline);
        let remedy_marker = d.has(&n, &d.markers.remedy);
        let cash: u32 = cash_offers(&n, &d.markers.cash, &d.markers.not_cash, &d.guards)
            .iter()
            .map(|o| o.yuan)
            .max()
            .unwrap_or(0);
        let mut kinds: Vec<Remedy> = d
            .remedies
            .iter()
            .filter(|(k, p)| *k != Remedy::Money && d.has(&n, p))
            .map(|(k, _)| *k)
            .collect();
        if cash > 0 {
            kinds.push(Remedy::Money);
        }
        let offer = remedy_marker && (!kinds.is_empty() || cash > 0);

        if apology {
            events.push(Event::Apology);
            let fresh = !self.apologized || self.owes_apology;
            self.shift(if fresh { 15 } else { 4 });
            self.owes_apology = false;
            if !self.apologized && !self.offered {
                self.apologized_before_offer = true;
            }
            self.apologized = true;
        }
        if empathy {
            events.push(Event::Empathy);
            self.shift(8);
        }
        if ask {
            events.push(Event::AskedCause);
        }
        if offend {
            events.push(Event::Offended);
            self.offended += 1;
            self.owes_apology = true;
            self.shift(-25);
        }
        if review {
            events.push(Event::ReviewRequest);
        }
        if declined {
            events.push(Event::Declined);
        }
        if evidence {
            events.push(Event::Evidence);
        }
        if offer {
            self.offered = true;
            events.push(Event::Offer);
        } else if remedy_marker {
            events.push(Event::AskedWish);
        }
        if close {
            events.push(Event::WarmClose);
        }
        if cash > s.bottom_line.max_yuan {
            self.over_bottom_line = Some(self.over_bottom_line.map_or(cash, |c| c.max(cash)));
        }

        let mut revealed_cause = None;
        let text: String;
        if offend {
            text = if self.mood < 5 || self.offended >= 2 {
                self.finished = true;
                self.line("leave")
            } else {
                self.line("blamed")
            };
        } else if review && !self.accepted {
            self.pushed = true;
            self.shift(-15);
            text = self.line("pushed");
        } else if s.persona == Persona::Malicious && !offer && (declined || evidence) {
            if evidence {
                self.finished = true;
                text = self.line("evidence");
            } else {
                text = self.line("declined");
            }
        } else if offer && !self.accepted {
            text = self.consider_offer(&kinds, cash);
        } else if ask && !self.revealed {
            self.revealed = true;
            revealed_cause = Some(s.truth.detail.clone());
            let prefix = self.line("reveal_prefix");
            text = format!("{prefix}{}", s.truth.reveal);
        } else if remedy_marker && !self.accepted {
            let prefix = self.line("demand_prefix");
            text = format!("{prefix}{}", s.accepts.demand);
        } else if review && self.accepted {
            self.review_asked = true;
            self.finished = true;
            let willing = if s.persona == Persona::Malicious {
                self.over_bottom_line.is_some()
            } else {
                self.mood >= 50
            };
            if willing {
                self.revised = true;
                text = self.line("revise_yes");
            } else {
                text = self.line("revise_later");
            }
        } else if close && self.accepted {
            self.finished = true;
            text = self.line("goodbye");
        } else if self.accepted {
            text = self.line("after_deal");
        } else if apology || empathy {
            text = self.line("apology_ack");
        } else {
            events.push(Event::Idle);
            self.shift(-5);
            text = self.line("idle");
        }

        self.agent_turns += 1;
        if !self.finished && self.agent_turns >= PATIENCE_TURNS {
            self.finished = true;
        }
        self.turns.push(Turn::agent(agent_text));
        self.turns.push(Turn::buyer(text.clone()));
        Ok(BuyerTurn {
            text,
            mood: self.mood,
            mood_label: mood_label(self.mood).to_string(),
            revealed_cause,
            accepted: self.accepted,
            finished: self.finished,
            events,
        })
    }

    fn consider_offer(&mut self, kinds: &[Remedy], cash: u32) -> String {
        let s = self.scenario;
        if s.accepts.needs_apology && !self.apologized {
            self.shift(-5);
            return self.line("want_apology");
        }
        let fits = kinds.iter().any(|k| {
            s.accepts.remedies.contains(k) && (*k != Remedy::Money || cash >= s.accepts.min_yuan)
        }) || cash >= s.accepts.min_yuan.max(1)
            && s.accepts.remedies.contains(&Remedy::Money);
        let bargains = s.persona == Persona::BargainHunter
            && self.counter_offers == 0
            && cash < s.accepts.min_yuan + 5;
        if fits && self.mood < 30 {
            self.shift(-2);
            return self.line("too_upset");
        }
        if !fits || bargains {
            self.counter_offers += 1;
            self.shift(-3);
            let low = self.line("offer_low");
            let prefix = self.line("demand_prefix");
            return format!("{low}{prefix}{}", s.accepts.demand);
        }
        self.accepted = true;
        self.accepted_remedy = kinds.to_vec();
        self.shift(15);
        self.line("accept")
    }

    /// How it ended (or stands), with reasons in Chinese.
    pub fn outcome(&self) -> Outcome {
        let s = self.scenario;
        let mut reasons = Vec::new();
        if self.apologized_before_offer {
            reasons.push("你在谈补偿之前先真诚道歉，买家的情绪缓和了。".to_string());
        } else if self.apologized {
            reasons.push("你道歉了，但来得晚了一些，最好一开始就先道歉。".to_string());
        } else {
            reasons.push("你始终没有道歉，买家觉得没有被重视。".to_string());
        }
        if self.revealed {
            reasons.push(format!("你问出了真正的原因：{}", s.truth.detail));
        } else {
            reasons.push(format!("你没有问出真正的原因：{}", s.truth.detail));
        }
        if self.offended > 0 {
            reasons.push("对话中出现了推卸责任、争辩或不礼貌的话，买家很不满。".to_string());
        }
        if self.pushed {
            reasons.push("问题还没解决就要求改评价，买家反感。".to_string());
        }
        if let Some(c) = self.over_bottom_line {
            reasons.push(format!(
                "你答应了 ¥{c}，超出了本单底线 ¥{}。",
                s.bottom_line.max_yuan
            ));
        }
        if s.persona == Persona::Malicious {
            reasons.push(
                "这是恶意评价者：正确做法是礼貌拒绝无理要求，保存聊天记录等证据，通过平台投诉或申诉。"
                    .to_string(),
            );
        } else if self.accepted {
            reasons.push("买家接受了你的解决办法。".to_string());
            if self.revised {
                reasons.push("你在问题解决后礼貌地请买家修改评价，买家答应了。".to_string());
            } else if self.review_asked {
                reasons.push("你提出了改评请求，但买家情绪还不够好，没有答应。".to_string());
            } else {
                reasons.push("你没有提出修改评价的请求，评价没有改。".to_string());
            }
        } else {
            reasons.push("还没有和买家商定解决办法。".to_string());
        }
        Outcome {
            finished: self.finished,
            accepted: self.accepted,
            revised: self.revised,
            mood: self.mood,
            mood_label: mood_label(self.mood).to_string(),
            true_cause: s.truth.detail.clone(),
            reasons,
        }
    }
}
