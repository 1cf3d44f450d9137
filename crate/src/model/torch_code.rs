//! PyTorch code as a learner pastes it — a bare `nn.Sequential(...)`, `net = nn.Sequential(...)`,
//! or a whole class or script around one — read into the `ModelSpec` it builds, with the place
//! each layer was written, so the editor can point from a table row (or a shape error) back to
//! the line.
//!
//! Two steps, so that every mistake is found where it was made: a tokenizer over the whole text
//! (comments and strings skipped, so a docstring mentioning `nn.Sequential(` or a Chinese comment
//! confuses nothing), then a recursive-descent parser over the tokens of the first top-level
//! `nn.Sequential(` call. The parser reads Python's expression syntax — calls with positional
//! and keyword arguments, tuples, lists, strings and integer arithmetic (evaluated as it reads,
//! so a long `1 + 1 + …` needs no deep tree) — and then the calls are read as modules with
//! PyTorch's own signatures and defaults (`nn.MaxPool2d(2)` strides by 2).
//!
//! Nothing here panics on any input, and nesting is bounded (`MAX_DEPTH`), so a hostile paste
//! cannot overflow the stack: every problem is a `CodeError` with a line, a column (counted in
//! Unicode characters) and a sentence from this module's templates.

use super::graph;
use super::spec::{LayerSpec, ModelSpec};
use crate::message::{Explain, Message};

/// The sentences of this module (English; the page translates them by key).
pub mod text {
    crate::templates! {
        AT = "code.at": "line {line}, column {column}: {reason}";
        NO_SEQUENTIAL = "code.noSequential": "no nn.Sequential(...) was found in the code: paste the network written as nn.Sequential(...), alone or inside its class";
        UNTERMINATED_STRING = "code.unterminatedString": "this string is never closed";
        UNCLOSED = "code.unclosed": "this “{open}” is never closed";
        UNEXPECTED_END = "code.unexpectedEnd": "the code ends too early here";
        EXPECTED_COMMA = "code.expectedComma": "expected a comma or “{close}” here, but found “{found}”";
        EXPECTED_VALUE = "code.expectedValue": "expected a value here (a layer or a number), but found “{found}”";
        EXPECTED_NAME = "code.expectedName": "expected a name after the dot, but found “{found}”";
        TOO_DEEP = "code.tooDeep": "the code nests more than {max} levels deep here";
        BAD_NUMBER = "code.badNumber": "“{text}” is not a number Python can read";
        NUMBER_TOO_LARGE = "code.numberTooLarge": "the number {text} is too large";
        ARITHMETIC = "code.arithmetic": "this arithmetic gives no usable number (it is too large, or not a real number)";
        DIVISION_BY_ZERO = "code.divisionByZero": "division by zero";
        NOT_ARITHMETIC = "code.notArithmetic": "only numbers can be added, subtracted, multiplied or divided here";
        TRUE_DIVISION = "code.trueDivision": "/ gives a fraction in Python; write // to divide whole numbers";
        UNKNOWN_MODULE = "code.unknownModule": "{name} is not a layer the notebook has; it has {known}";
        UNKNOWN_MODULE_HINT = "code.unknownModuleHint": "{name} is not a layer the notebook has; did you mean {suggestion}?";
        SOFTMAX = "code.softmax": "{name} is left out here: the loss (cross-entropy) applies the softmax itself, so the network ends with its last Linear";
        NOT_CALLED = "code.notCalled": "{name} names the layer's class: write {name}(...) to make a layer";
        NAME_FOR_MODULE = "code.nameForModule": "{name} is a name defined elsewhere in the code; write its layers here instead";
        NAME_FOR_NUMBER = "code.nameForNumber": "{name} is a name defined elsewhere in the code; write its value here instead";
        NOT_A_MODULE = "code.notAModule": "expected a layer here, such as nn.ReLU(), but found {found}";
        MISSING_ARGUMENT = "code.missingArgument": "{module} needs its argument {argument}";
        TOO_MANY_ARGUMENTS = "code.tooManyArguments": "{module} takes at most {max} positional arguments, but here it gets {got}";
        UNKNOWN_KEYWORD = "code.unknownKeyword": "{module} has no argument named {keyword}; it has {known}";
        NO_KEYWORDS = "code.noKeywords": "{module} takes no keyword arguments, only its layers";
        DUPLICATE_ARGUMENT = "code.duplicateArgument": "{module} gets its argument {argument} twice";
        POSITIONAL_AFTER_KEYWORD = "code.positionalAfterKeyword": "a positional argument cannot follow a keyword argument (name=value)";
        NOT_INTEGER = "code.notInteger": "{argument} must be a whole number, not {value}";
        NOT_NUMBER = "code.notNumber": "{argument} must be a number, not {value}";
        NOT_BOOL = "code.notBool": "{argument} must be True or False, not {value}";
        AT_LEAST_ONE = "code.atLeastOne": "{argument} must be at least 1, not {value}";
        NOT_NEGATIVE = "code.notNegative": "{argument} must be 0 or more, not {value}";
        TOO_LARGE = "code.tooLarge": "{argument} = {value} is too large here";
        NOT_SQUARE = "code.notSquare": "only square kernels here: {argument} is {first}×{second}; write one number";
        PAIR = "code.pair": "{argument} must be one number or a pair of equal numbers, not {value}";
        PADDING_STRING = "code.paddingString": "padding={value} is not supported here; write the padding as a number (for an odd kernel with stride 1, kernel_size // 2 keeps the size)";
        UNSUPPORTED = "code.unsupported": "{module}: {argument}={value} is not supported here";
        ADAPTIVE_SIZE = "code.adaptiveSize": "only output size 1 (global average pooling) is supported here, not {value}";
        INCEPTION_PAIR = "code.inceptionPair": "{argument} must be a pair (reduce, out), such as (96, 128), not {value}";
        RANGE = "code.range": "{argument} must be in {range}, not {value}";
        POSITIVE = "code.positive": "{argument} must be more than 0, not {value}";
        EMPTY_BODY = "code.emptyBody": "Residual needs at least one layer before shortcut=";
    }
}

use text::*;

/// Where a spec layer was written: 1-based line and column of the module's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Place {
    pub line: usize,
    pub column: usize,
}

/// What the code builds: the spec (named `name`, input `input` as (C, H, W)) and, for each spec
/// layer in pre-order (graph.rs's `source` numbering: a block, then its body, then its shortcut),
/// where it was written. `places.len() == graph::count_sources(&spec.layers)`.
///
/// A layer's place is the first character of its name as written: the `n` of `nn.Conv2d(…)`,
/// the `R` of `Residual(…)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    pub spec: ModelSpec,
    pub places: Vec<Place>,
}

/// Code that cannot be read: where, and why (a Message from this module's templates).
#[derive(Clone, Debug, PartialEq)]
pub struct CodeError {
    pub place: Place,
    pub message: Message,
}

impl Explain for CodeError {
    /// "line 3, column 5: …": the place in words too, for the CLI and logs (the page may show
    /// `message` beside its own marker instead).
    fn message(&self) -> Message {
        Message::new(AT).with("line", self.place.line).with("column", self.place.column).nested("reason", self.message.clone())
    }
}
crate::explained_error!(CodeError);

fn error(place: Place, message: impl Into<Message>) -> CodeError {
    CodeError { place, message: message.into() }
}

/// How deeply brackets (and unary signs) may nest: real networks nest four or five levels; a
/// limit keeps a hostile paste from overflowing the stack (wasm's is 1 MiB).
pub const MAX_DEPTH: usize = 64;

/// Reads the first top-level `nn.Sequential(...)` in `code` (see the module's documentation).
pub fn parse(code: &str, name: &str, input: [usize; 3]) -> Result<Parsed, CodeError> {
    let tokens = tokenize(code);
    let start = find_sequential(&tokens)?;
    let mut parser = Parser { code, tokens: &tokens, pos: start, open: Vec::new(), depth: 0 };
    // The call itself, not an expression: whatever follows it (`.to(device)`, the rest of the
    // class) is not ours to read.
    let call = parser.primary()?;
    let built = Build { code }.modules(&call)?;
    let places: Vec<Place> = built.iter().flat_map(|b| b.places.iter().copied()).collect();
    let layers: Vec<LayerSpec> = built.into_iter().map(|b| b.spec).collect();
    debug_assert_eq!(places.len(), graph::count_sources(&layers));
    Ok(Parsed { spec: ModelSpec { name: name.to_string(), input, layers }, places })
}

// ---- Tokens ----------------------------------------------------------------------------------

/// What a token is. Comments and whitespace make none.
#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Name(String),
    /// A numeric literal as written; read (and refused) by the parser, which knows its place.
    Number(String),
    /// A string's text between its quotes (escapes left as written).
    Str(String),
    Punct(&'static str),
    /// Any other character (`@`, `$`, a full-width `，` typed with a Chinese keyboard…).
    Other(char),
    /// A string whose closing quote never comes: an error only if the parser reaches it, so a
    /// stray apostrophe in prose pasted around the code does no harm.
    Unterminated,
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    place: Place,
    /// Byte offsets of its text in the code, to quote it in messages.
    start: usize,
    end: usize,
}

/// Walks the code a character at a time, counting lines and columns.
struct Lexer<'a> {
    code: &'a str,
    chars: Vec<(usize, char)>,
    pos: usize,
    line: usize,
    column: usize,
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).map(|&(_, c)| c)
    }

    /// The byte offset of the next character (the code's length at its end).
    fn offset(&self) -> usize {
        self.chars.get(self.pos).map_or(self.code.len(), |&(i, _)| i)
    }

    fn place(&self) -> Place {
        Place { line: self.line, column: self.column }
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> String {
        let mut out = String::new();
        while let Some(c) = self.peek(0).filter(|&c| keep(c)) {
            out.push(c);
            self.bump();
        }
        out
    }

    /// A string starting at its opening quote: '…', "…", '''…''' or """…""". A backslash
    /// always takes the next character with it (so \" and \' do not close it, raw strings
    /// included, as in Python).
    fn string(&mut self) -> Tok {
        let Some(quote) = self.bump() else { return Tok::Unterminated };
        let triple = self.peek(0) == Some(quote) && self.peek(1) == Some(quote);
        if triple {
            self.bump();
            self.bump();
        }
        let start = self.offset();
        loop {
            let end = self.offset();
            match self.bump() {
                None => return Tok::Unterminated,
                Some('\\') => {
                    self.bump();
                }
                Some('\n') if !triple => return Tok::Unterminated,
                Some(c) if c == quote => {
                    if !triple {
                        return Tok::Str(self.code[start..end].to_string());
                    }
                    if self.peek(0) == Some(quote) && self.peek(1) == Some(quote) {
                        self.bump();
                        self.bump();
                        return Tok::Str(self.code[start..end].to_string());
                    }
                }
                Some(_) => {}
            }
        }
    }

    /// A numeric literal: 120, 1_000, 0x10, 0.5, .5, 1e-5. Letters glued to it (3j, 5px) are
    /// kept in it, for the parser to refuse as one.
    fn number(&mut self) -> Tok {
        let digits = |c: char| c.is_ascii_digit() || c == '_';
        let mut text = String::new();
        let radix = self.peek(0) == Some('0') && matches!(self.peek(1), Some('x' | 'X' | 'o' | 'O' | 'b' | 'B'));
        if !radix {
            text += &self.take_while(digits);
            if self.peek(0) == Some('.') {
                self.bump();
                text.push('.');
                text += &self.take_while(digits);
            }
            let sign = matches!(self.peek(1), Some('+' | '-'));
            let exponent_digit = self.peek(if sign { 2 } else { 1 }).is_some_and(|c| c.is_ascii_digit());
            if matches!(self.peek(0), Some('e' | 'E')) && exponent_digit {
                for _ in 0..if sign { 2 } else { 1 } {
                    text.extend(self.bump());
                }
                text += &self.take_while(digits);
            }
        }
        text += &self.take_while(|c| c == '_' || c.is_alphanumeric());
        Tok::Number(text)
    }

    /// Punctuation, `//` and `**` as one token each.
    fn punct(&mut self) -> Tok {
        let Some(c) = self.bump() else { return Tok::Unterminated };
        let double = match (c, self.peek(0)) {
            ('/', Some('/')) => Some("//"),
            ('*', Some('*')) => Some("**"),
            _ => None,
        };
        if let Some(p) = double {
            self.bump();
            return Tok::Punct(p);
        }
        Tok::Punct(match c {
            '(' => "(",
            ')' => ")",
            '[' => "[",
            ']' => "]",
            '{' => "{",
            '}' => "}",
            ',' => ",",
            '=' => "=",
            '.' => ".",
            '+' => "+",
            '-' => "-",
            '*' => "*",
            '/' => "/",
            ':' => ":",
            ';' => ";",
            other => return Tok::Other(other),
        })
    }
}

/// The tokens of the whole code: the Sequential is searched among them, so that nothing inside
/// a comment or a string is ever taken for code.
fn tokenize(code: &str) -> Vec<Token> {
    let mut lx = Lexer { code, chars: code.char_indices().collect(), pos: 0, line: 1, column: 1 };
    let mut out = Vec::new();
    while let Some(c) = lx.peek(0) {
        let (place, start) = (lx.place(), lx.offset());
        let continuation = c == '\\' && (lx.peek(1) == Some('\n') || (lx.peek(1) == Some('\r') && lx.peek(2) == Some('\n')));
        let tok = match c {
            '#' => {
                lx.take_while(|c| c != '\n');
                continue;
            }
            c if c.is_whitespace() || continuation => {
                lx.bump();
                continue;
            }
            '\'' | '"' => lx.string(),
            c if c.is_ascii_digit() || (c == '.' && lx.peek(1).is_some_and(|d| d.is_ascii_digit())) => lx.number(),
            c if c == '_' || c.is_alphabetic() => {
                let name = lx.take_while(|c| c == '_' || c.is_alphanumeric());
                // r'…', b"…", f'…', rb"…": a prefix glued to a string.
                let prefix = name.len() <= 2 && name.chars().all(|c| "rRbBfFuU".contains(c));
                if prefix && matches!(lx.peek(0), Some('\'' | '"')) {
                    lx.string()
                } else {
                    Tok::Name(name)
                }
            }
            _ => lx.punct(),
        };
        out.push(Token { tok, place, start, end: lx.offset() });
    }
    out
}

fn is_punct(token: Option<&Token>, p: &str) -> bool {
    matches!(token, Some(Token { tok: Tok::Punct(q), .. }) if *q == p)
}

fn is_name(token: Option<&Token>, name: &str) -> bool {
    matches!(token, Some(Token { tok: Tok::Name(n), .. }) if n == name)
}

/// Python's keywords, which are never a value (a comprehension, a lambda…).
fn is_keyword(name: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if",
        "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    ];
    KEYWORDS.contains(&name)
}

/// The index of the first token of the `nn.Sequential(` to read: the first one outside every
/// bracket (so not a `shortcut=nn.Sequential(…)` inside a block, and not the parent of a nested
/// one, which comes first in the text anyway). Failing that (brackets left open earlier in a
/// paste), the first one that is not a shortcut.
fn find_sequential(tokens: &[Token]) -> Result<usize, CodeError> {
    let mut depth = 0usize;
    let mut fallback = None;
    for (i, t) in tokens.iter().enumerate() {
        match t.tok {
            Tok::Punct("(" | "[" | "{") => depth += 1,
            Tok::Punct(")" | "]" | "}") => depth = depth.saturating_sub(1),
            _ => {}
        }
        if !is_name(Some(t), "Sequential") || !is_punct(tokens.get(i + 1), "(") {
            continue;
        }
        let Some(start) = path_start(tokens, i) else { continue };
        if depth == 0 {
            return Ok(start);
        }
        let shortcut = start >= 2 && is_punct(tokens.get(start - 1), "=") && is_name(tokens.get(start - 2), "shortcut");
        if fallback.is_none() && !shortcut {
            fallback = Some(start);
        }
    }
    fallback.ok_or_else(|| {
        // A string never closed may have swallowed it: say that rather than "none found".
        match tokens.iter().find(|t| t.tok == Tok::Unterminated) {
            Some(t) => error(t.place, UNTERMINATED_STRING),
            None => error(Place { line: 1, column: 1 }, NO_SEQUENTIAL),
        }
    })
}

/// Where the name ending in `Sequential` at token `i` starts: `Sequential`, `nn.Sequential` or
/// `torch.nn.Sequential`; `None` for anything else (`keras.Sequential`, `def Sequential`).
fn path_start(tokens: &[Token], i: usize) -> Option<usize> {
    let dot = |j: usize| is_punct(tokens.get(j), ".");
    if i == 0 {
        return Some(0);
    }
    if !dot(i - 1) {
        let defined = is_name(tokens.get(i - 1), "def") || is_name(tokens.get(i - 1), "class");
        return (!defined).then_some(i);
    }
    if i < 2 || !is_name(tokens.get(i - 2), "nn") {
        return None;
    }
    if i < 3 || !dot(i - 3) {
        return Some(i - 2);
    }
    let torch = i >= 4 && is_name(tokens.get(i - 4), "torch") && !(i >= 5 && dot(i - 5));
    torch.then(|| i - 4)
}

/// A token as it is written, for a message: whitespace collapsed and cut at 40 characters.
fn shown(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > 40 {
        text.chars().take(39).chain(['…']).collect()
    } else {
        text
    }
}

// ---- Expressions -----------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Num {
    Int(i128),
    Float(f64),
}

impl Num {
    fn as_f64(self) -> f64 {
        match self {
            Num::Int(n) => n as f64,
            Num::Float(f) => f,
        }
    }
}

/// What an argument is, once read. Arithmetic is already done: a number is a value.
#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Num(Num),
    Str(String),
    /// A name (dotted or not) not followed by a call: `True`, `None`, `b1`, `self.conv`.
    Name(Vec<String>),
    Call { path: Vec<String>, args: Vec<Arg> },
    /// A tuple or a list: `(3, 3)`, `[1, 1]`.
    Tuple(Vec<Expr>),
}

#[derive(Clone, Debug, PartialEq)]
struct Expr {
    kind: Kind,
    place: Place,
    /// Byte range of its text, to quote it in messages.
    start: usize,
    end: usize,
    /// Where a `/` made it a fraction, to tell the learner to write `//`.
    division: Option<Place>,
}

#[derive(Clone, Debug, PartialEq)]
struct Arg {
    keyword: Option<(String, Place)>,
    value: Expr,
}

/// A recursive-descent parser for the part of Python's expressions a network is written in.
struct Parser<'a> {
    code: &'a str,
    tokens: &'a [Token],
    pos: usize,
    /// The brackets open around the current token: an end of code inside one is reported at it.
    open: Vec<(Place, &'static str)>,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a Token> {
        self.tokens.get(self.pos)
    }

    /// The next token; at the end of the code, the bracket left open is the mistake, and a
    /// string never closed is one wherever the parser meets it.
    fn next_token(&self) -> Result<&'a Token, CodeError> {
        match self.peek() {
            None => Err(match self.open.last() {
                Some(&(place, open)) => error(place, Message::new(UNCLOSED).with("open", open)),
                None => error(self.tokens.last().map_or(Place { line: 1, column: 1 }, |t| t.place), UNEXPECTED_END),
            }),
            Some(t) if t.tok == Tok::Unterminated => Err(error(t.place, UNTERMINATED_STRING)),
            Some(t) => Ok(t),
        }
    }

    fn found(&self, t: &Token) -> String {
        shown(self.code.get(t.start..t.end).unwrap_or(""))
    }

    /// Takes the next token if it is one of `ops`.
    fn operator(&mut self, ops: &[&'static str]) -> Option<(&'static str, Place)> {
        match self.peek() {
            Some(Token { tok: Tok::Punct(p), place, .. }) if ops.contains(p) => {
                self.pos += 1;
                Some((*p, *place))
            }
            _ => None,
        }
    }

    /// expr := term (('+' | '-') term)*
    fn expr(&mut self) -> Result<Expr, CodeError> {
        let mut left = self.term()?;
        while let Some(op) = self.operator(&["+", "-"]) {
            let right = self.term()?;
            left = arithmetic(op, left, right)?;
        }
        Ok(left)
    }

    /// term := unary (('*' | '/' | '//') unary)*
    fn term(&mut self) -> Result<Expr, CodeError> {
        let mut left = self.unary()?;
        while let Some(op) = self.operator(&["*", "/", "//"]) {
            let right = self.unary()?;
            left = arithmetic(op, left, right)?;
        }
        Ok(left)
    }

    /// unary := ('-' | '+') unary | power. Every bracket level passes here once, so this is
    /// where nesting is counted.
    fn unary(&mut self) -> Result<Expr, CodeError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let t = self.next_token()?;
            return Err(error(t.place, Message::new(TOO_DEEP).with("max", MAX_DEPTH)));
        }
        let result = match self.operator(&["-", "+"]) {
            Some((op, place)) => {
                let start = self.tokens[self.pos - 1].start;
                let operand = self.unary()?;
                negate(op, place, start, operand)
            }
            None => self.power(),
        };
        self.depth -= 1;
        result
    }

    /// power := primary ('**' unary)?, so that -2**2 is -(2**2) as in Python.
    fn power(&mut self) -> Result<Expr, CodeError> {
        let base = self.primary()?;
        match self.operator(&["**"]) {
            Some(op) => {
                let exponent = self.unary()?;
                arithmetic(op, base, exponent)
            }
            None => Ok(base),
        }
    }

    /// primary := number | string+ | name ('.' name)* call? | '(' … ')' | '[' … ']'
    fn primary(&mut self) -> Result<Expr, CodeError> {
        let t = self.next_token()?;
        let expr = |kind: Kind, end: usize| Expr { kind, place: t.place, start: t.start, end, division: None };
        match &t.tok {
            Tok::Number(text) => {
                self.pos += 1;
                Ok(expr(Kind::Num(literal(text, t.place)?), t.end))
            }
            Tok::Str(_) => {
                // Adjacent strings are one, as in Python.
                let mut text = String::new();
                let mut end = t.end;
                while let Some(Token { tok: Tok::Str(s), end: e, .. }) = self.peek() {
                    text += s;
                    end = *e;
                    self.pos += 1;
                }
                Ok(expr(Kind::Str(text), end))
            }
            Tok::Name(name) if !is_keyword(name) => self.name_or_call(),
            Tok::Punct("(") => {
                let (mut items, comma, end) = self.items(")")?;
                match items.pop() {
                    Some(mut one) if items.is_empty() && !comma => {
                        (one.start, one.end) = (t.start, end);
                        Ok(one)
                    }
                    last => Ok(expr(Kind::Tuple(items.into_iter().chain(last).collect()), end)),
                }
            }
            Tok::Punct("[") => {
                let (items, _, end) = self.items("]")?;
                Ok(expr(Kind::Tuple(items), end))
            }
            _ => Err(error(t.place, Message::new(EXPECTED_VALUE).with("found", self.found(t)))),
        }
    }

    /// A dotted name, called or not.
    fn name_or_call(&mut self) -> Result<Expr, CodeError> {
        let first = self.next_token()?;
        let mut path = Vec::new();
        let mut end = first.end;
        let mut t = first;
        loop {
            match &t.tok {
                Tok::Name(n) if !is_keyword(n) => path.push(n.clone()),
                _ => return Err(error(t.place, Message::new(EXPECTED_NAME).with("found", self.found(t)))),
            }
            self.pos += 1;
            end = end.max(t.end);
            if !is_punct(self.peek(), ".") {
                break;
            }
            self.pos += 1;
            t = self.next_token()?;
        }
        let kind = if is_punct(self.peek(), "(") {
            let (args, close) = self.call_args()?;
            end = close;
            Kind::Call { path, args }
        } else {
            Kind::Name(path)
        };
        Ok(Expr { kind, place: first.place, start: first.start, end, division: None })
    }

    /// A call's arguments, from its `(` to its `)`: positional first, then `name=value`, a
    /// trailing comma allowed. Returns them and the end of the `)`.
    fn call_args(&mut self) -> Result<(Vec<Arg>, usize), CodeError> {
        let open = self.next_token()?;
        self.pos += 1;
        self.open.push((open.place, "("));
        let mut args: Vec<Arg> = Vec::new();
        loop {
            let t = self.next_token()?;
            if t.tok == Tok::Punct(")") {
                self.pos += 1;
                self.open.pop();
                return Ok((args, t.end));
            }
            let keyword = match (&t.tok, self.tokens.get(self.pos + 1)) {
                (Tok::Name(n), Some(Token { tok: Tok::Punct("="), .. })) if !is_keyword(n) => {
                    self.pos += 2;
                    Some((n.clone(), t.place))
                }
                _ => None,
            };
            if keyword.is_none() && args.iter().any(|a| a.keyword.is_some()) {
                return Err(error(t.place, POSITIONAL_AFTER_KEYWORD));
            }
            let value = self.expr()?;
            args.push(Arg { keyword, value });
            self.separator(")")?;
        }
    }

    /// The items of a tuple or list up to `close`; also whether a comma was seen (`(3,)` is a
    /// tuple, `(3)` a number) and the end of the closing bracket.
    fn items(&mut self, close: &'static str) -> Result<(Vec<Expr>, bool, usize), CodeError> {
        let open = self.next_token()?;
        self.pos += 1;
        self.open.push((open.place, if close == ")" { "(" } else { "[" }));
        let (mut items, mut comma) = (Vec::new(), false);
        loop {
            let t = self.next_token()?;
            if t.tok == Tok::Punct(close) {
                self.pos += 1;
                self.open.pop();
                return Ok((items, comma, t.end));
            }
            items.push(self.expr()?);
            comma |= self.separator(close)?;
        }
    }

    /// After an item: a comma (taken; true) or the closing bracket (left for the loop; false).
    fn separator(&mut self, close: &'static str) -> Result<bool, CodeError> {
        let t = self.next_token()?;
        match t.tok {
            Tok::Punct(",") => {
                self.pos += 1;
                Ok(true)
            }
            Tok::Punct(p) if p == close => Ok(false),
            _ => Err(error(t.place, Message::new(EXPECTED_COMMA).with("close", close).with("found", self.found(t)))),
        }
    }
}

/// A numeric literal's value: an integer (in i128, so that usize's limits are checked later
/// with a clear message) or a float.
fn literal(text: &str, place: Place) -> Result<Num, CodeError> {
    let clean: String = text.chars().filter(|&c| c != '_').collect::<String>().to_ascii_lowercase();
    let bad = || error(place, Message::new(BAD_NUMBER).with("text", text));
    let too_large = || error(place, Message::new(NUMBER_TOO_LARGE).with("text", text));
    let radix = match clean.get(..2) {
        Some("0x") => 16,
        Some("0o") => 8,
        Some("0b") => 2,
        _ => 10,
    };
    let digits = if radix == 10 { clean.as_str() } else { &clean[2..] };
    if radix == 10 && (digits.contains('.') || digits.contains('e')) {
        return match digits.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Num::Float(f)),
            Ok(_) => Err(too_large()),
            Err(_) => Err(bad()),
        };
    }
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(bad());
    }
    i128::from_str_radix(digits, radix).map(Num::Int).map_err(|_| too_large())
}

/// A name that is a constant, never a variable.
fn is_constant(path: &[String]) -> bool {
    matches!(path, [one] if one == "True" || one == "False" || one == "None")
}

/// "b1 is a name defined elsewhere": a variable where a number is needed.
fn name_for_number(e: &Expr, path: &[String]) -> CodeError {
    error(e.place, Message::new(NAME_FOR_NUMBER).with("name", path.join(".")))
}

/// An operand of arithmetic: a number, or why not.
fn operand(e: &Expr) -> Result<Num, CodeError> {
    match &e.kind {
        Kind::Num(n) => Ok(*n),
        Kind::Name(path) if !is_constant(path) => Err(name_for_number(e, path)),
        _ => Err(error(e.place, NOT_ARITHMETIC)),
    }
}

/// `left op right` as Python computes it (// rounds down, / gives a float), in checked
/// integers: an overflow is an error, never a wrapped number.
fn arithmetic((op, place): (&'static str, Place), left: Expr, right: Expr) -> Result<Expr, CodeError> {
    let (a, b) = (operand(&left)?, operand(&right)?);
    let zero = matches!(b, Num::Int(0)) || b == Num::Float(0.0);
    if zero && (op == "/" || op == "//") {
        return Err(error(place, DIVISION_BY_ZERO));
    }
    let value = match (a, b) {
        (Num::Int(x), Num::Int(y)) => match op {
            "+" => x.checked_add(y).map(Num::Int),
            "-" => x.checked_sub(y).map(Num::Int),
            "*" => x.checked_mul(y).map(Num::Int),
            "//" => floor_div(x, y).map(Num::Int),
            "/" => Some(Num::Float(x as f64 / y as f64)),
            _ if y >= 0 => u32::try_from(y).ok().and_then(|e| x.checked_pow(e)).map(Num::Int),
            _ => Some(Num::Float((x as f64).powf(y as f64))),
        },
        (a, b) => {
            let (x, y) = (a.as_f64(), b.as_f64());
            Some(Num::Float(match op {
                "+" => x + y,
                "-" => x - y,
                "*" => x * y,
                "//" => (x / y).floor(),
                "/" => x / y,
                _ => x.powf(y),
            }))
        }
    };
    let value = value.filter(|v| !matches!(v, Num::Float(f) if !f.is_finite())).ok_or_else(|| error(place, ARITHMETIC))?;
    let division = if op == "/" { Some(place) } else { left.division.or(right.division) };
    Ok(Expr { kind: Kind::Num(value), place: left.place, start: left.start, end: right.end, division })
}

/// Python's `//` on integers: rounded down, not towards zero.
fn floor_div(x: i128, y: i128) -> Option<i128> {
    let q = x.checked_div(y)?;
    let r = x.checked_rem(y)?;
    if r != 0 && ((r < 0) != (y < 0)) {
        q.checked_sub(1)
    } else {
        Some(q)
    }
}

/// A unary sign applied to a number.
fn negate(op: &str, place: Place, start: usize, e: Expr) -> Result<Expr, CodeError> {
    let n = operand(&e)?;
    let value = match (op, n) {
        ("+", n) => n,
        (_, Num::Int(i)) => Num::Int(i.checked_neg().ok_or_else(|| error(place, ARITHMETIC))?),
        (_, Num::Float(f)) => Num::Float(-f),
    };
    Ok(Expr { kind: Kind::Num(value), place, start, end: e.end, division: e.division })
}

// ---- Modules ---------------------------------------------------------------------------------

/// The modules the notebook has, by PyTorch's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Module {
    Conv2d,
    MaxPool2d,
    AvgPool2d,
    AdaptiveAvgPool2d,
    Flatten,
    Linear,
    ReLU,
    LeakyReLU,
    Sigmoid,
    Tanh,
    Dropout,
    BatchNorm2d,
    Sequential,
    Residual,
    Inception,
}

const MODULES: &[(&str, Module)] = &[
    ("Conv2d", Module::Conv2d),
    ("MaxPool2d", Module::MaxPool2d),
    ("AvgPool2d", Module::AvgPool2d),
    ("AdaptiveAvgPool2d", Module::AdaptiveAvgPool2d),
    ("Flatten", Module::Flatten),
    ("Linear", Module::Linear),
    ("ReLU", Module::ReLU),
    ("LeakyReLU", Module::LeakyReLU),
    ("Sigmoid", Module::Sigmoid),
    ("Tanh", Module::Tanh),
    ("Dropout", Module::Dropout),
    ("BatchNorm2d", Module::BatchNorm2d),
    ("Sequential", Module::Sequential),
    ("Residual", Module::Residual),
    ("Inception", Module::Inception),
];

/// Names from other libraries (Keras mostly) a learner may bring, and what they are here.
const ALIASES: &[(&str, &str)] = &[
    ("Dense", "Linear"),
    ("MaxPooling2D", "MaxPool2d"),
    ("AveragePooling2D", "AvgPool2d"),
    ("GlobalAveragePooling2D", "AdaptiveAvgPool2d"),
    ("BatchNormalization", "BatchNorm2d"),
];

/// How a module is best written in a message: the notebook's blocks bare, PyTorch's with `nn.`.
fn written(name: &str) -> String {
    if name == "Residual" || name == "Inception" {
        name.to_string()
    } else {
        format!("nn.{name}")
    }
}

/// The module a called name means: `X`, `nn.X` or `torch.nn.X` for one of `MODULES`.
fn resolve(path: &[String], place: Place) -> Result<Module, CodeError> {
    let Some((last, prefix)) = path.split_last() else { return Err(error(place, UNEXPECTED_END)) };
    let prefix_ok = prefix.is_empty() || prefix == ["nn"] || prefix == ["torch", "nn"];
    if let Some(&(_, module)) = MODULES.iter().find(|(n, _)| n == last).filter(|_| prefix_ok) {
        return Ok(module);
    }
    let name = path.join(".");
    if last == "Softmax" || last == "LogSoftmax" {
        return Err(error(place, Message::new(SOFTMAX).with("name", name)));
    }
    let like = MODULES.iter().map(|(n, _)| *n).find(|n| n.eq_ignore_ascii_case(last));
    let alias = ALIASES.iter().find(|(a, _)| a.eq_ignore_ascii_case(last)).map(|(_, n)| *n);
    Err(error(
        place,
        match like.or(alias) {
            Some(n) => Message::new(UNKNOWN_MODULE_HINT).with("name", name).with("suggestion", written(n)),
            None => Message::new(UNKNOWN_MODULE).with("name", name).with("known", MODULES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")),
        },
    ))
}

/// One spec layer with the places of it and of everything inside it, in pre-order.
struct Built {
    spec: LayerSpec,
    places: Vec<Place>,
}

/// A module call being read.
struct Call<'e> {
    /// As written, e.g. "nn.Conv2d".
    name: String,
    place: Place,
    args: &'e [Arg],
}

/// A call's arguments matched to a PyTorch signature's parameters.
struct Bound<'e> {
    module: String,
    place: Place,
    params: &'static [&'static str],
    slots: Vec<Option<&'e Expr>>,
}

impl<'e> Bound<'e> {
    /// The argument given for `param`, if any.
    fn get(&self, param: &str) -> Option<&'e Expr> {
        debug_assert!(self.params.contains(&param), "{param} is not a parameter of {}", self.module);
        self.params.iter().position(|p| *p == param).and_then(|i| self.slots[i])
    }

    fn required(&self, param: &str) -> Result<&'e Expr, CodeError> {
        self.get(param).ok_or_else(|| error(self.place, Message::new(MISSING_ARGUMENT).with("module", &self.module).with("argument", param)))
    }
}

/// Matches arguments to parameters as Python does: positionals in order, then keywords by name.
fn bind<'e>(call: &Call<'e>, params: &'static [&'static str]) -> Result<Bound<'e>, CodeError> {
    let mut slots = vec![None; params.len()];
    let positional = call.args.iter().filter(|a| a.keyword.is_none()).count();
    for (i, arg) in call.args.iter().enumerate() {
        let (index, place) = match &arg.keyword {
            None if i < params.len() => (i, arg.value.place),
            None => {
                let m = Message::new(TOO_MANY_ARGUMENTS).with("module", &call.name).with("max", params.len()).with("got", positional);
                return Err(error(arg.value.place, m));
            }
            Some((k, place)) => match params.iter().position(|p| p == k) {
                Some(index) => (index, *place),
                None => {
                    let known = if params.is_empty() { "—".to_string() } else { params.join(", ") };
                    let m = Message::new(UNKNOWN_KEYWORD).with("module", &call.name).with("keyword", k).with("known", known);
                    return Err(error(*place, m));
                }
            },
        };
        if slots[index].is_some() {
            return Err(error(place, Message::new(DUPLICATE_ARGUMENT).with("module", &call.name).with("argument", params[index])));
        }
        slots[index] = Some(&arg.value);
    }
    Ok(Bound { module: call.name.clone(), place: call.place, params, slots })
}

/// Reads expressions as modules and their arguments; holds the code to quote it.
struct Build<'a> {
    code: &'a str,
}

impl Build<'_> {
    fn text(&self, e: &Expr) -> String {
        shown(self.code.get(e.start..e.end).unwrap_or(""))
    }

    /// The spec layers a module expression stands for: one for a layer or a block, each of
    /// its modules for an `nn.Sequential(...)` (it means the same as its modules in a row).
    fn modules(&self, e: &Expr) -> Result<Vec<Built>, CodeError> {
        let (path, args) = match &e.kind {
            Kind::Call { path, args } => (path, args),
            Kind::Name(path) if !is_constant(path) => {
                let name = path.join(".");
                return Err(error(
                    e.place,
                    match resolve(path, e.place) {
                        Ok(_) => Message::new(NOT_CALLED).with("name", name),
                        Err(_) => Message::new(NAME_FOR_MODULE).with("name", name),
                    },
                ));
            }
            _ => return Err(error(e.place, Message::new(NOT_A_MODULE).with("found", self.text(e)))),
        };
        let module = resolve(path, e.place)?;
        let call = Call { name: path.join("."), place: e.place, args };
        match module {
            Module::Sequential => {
                if let Some((_, place)) = args.iter().find_map(|a| a.keyword.as_ref()) {
                    return Err(error(*place, Message::new(NO_KEYWORDS).with("module", &call.name)));
                }
                let mut out = Vec::new();
                for arg in args {
                    out.extend(self.modules(&arg.value)?);
                }
                Ok(out)
            }
            Module::Residual => Ok(vec![self.residual(&call)?]),
            leaf => Ok(vec![Built { spec: self.layer(leaf, &call)?, places: vec![e.place] }]),
        }
    }

    /// `Residual(m1, m2, …, shortcut=…)`: its place, then its body's, then its shortcut's.
    fn residual(&self, call: &Call) -> Result<Built, CodeError> {
        let mut body = Vec::new();
        let mut shortcut: Option<Vec<Built>> = None;
        for arg in call.args {
            match &arg.keyword {
                None => body.extend(self.modules(&arg.value)?),
                Some((k, place)) if k == "shortcut" => {
                    if shortcut.is_some() {
                        return Err(error(*place, Message::new(DUPLICATE_ARGUMENT).with("module", &call.name).with("argument", "shortcut")));
                    }
                    let none = matches!(&arg.value.kind, Kind::Name(p) if p.len() == 1 && p[0] == "None");
                    shortcut = Some(if none { Vec::new() } else { self.modules(&arg.value)? });
                }
                Some((k, place)) => {
                    let m = Message::new(UNKNOWN_KEYWORD).with("module", &call.name).with("keyword", k).with("known", "shortcut");
                    return Err(error(*place, m));
                }
            }
        }
        if body.is_empty() {
            return Err(error(call.place, EMPTY_BODY));
        }
        let shortcut = shortcut.unwrap_or_default();
        let places = std::iter::once(call.place).chain(body.iter().chain(&shortcut).flat_map(|b| b.places.iter().copied())).collect();
        let spec = LayerSpec::Residual { body: body.into_iter().map(|b| b.spec).collect(), shortcut: shortcut.into_iter().map(|b| b.spec).collect() };
        Ok(Built { spec, places })
    }

    /// A layer (or an Inception block, one spec layer too) from its call.
    fn layer(&self, module: Module, call: &Call) -> Result<LayerSpec, CodeError> {
        match module {
            Module::Conv2d => self.conv(call),
            Module::MaxPool2d | Module::AvgPool2d => self.pool(module == Module::MaxPool2d, call),
            Module::AdaptiveAvgPool2d => {
                let b = bind(call, &["output_size"])?;
                let size = b.required("output_size")?;
                let one = |e: &Expr| e.kind == Kind::Num(Num::Int(1));
                let global = one(size) || matches!(&size.kind, Kind::Tuple(t) if t.len() == 2 && t.iter().all(one));
                if !global {
                    return Err(error(size.place, Message::new(ADAPTIVE_SIZE).with("value", self.text(size))));
                }
                Ok(LayerSpec::GlobalAvgPool)
            }
            Module::Flatten => {
                let b = bind(call, &["start_dim", "end_dim"])?;
                self.only(&b, "start_dim", |e| Ok(self.integer(e, "start_dim")? == 1))?;
                self.only(&b, "end_dim", |e| Ok(self.integer(e, "end_dim")? == -1))?;
                Ok(LayerSpec::Flatten)
            }
            Module::Linear => {
                let b = bind(call, &["in_features", "out_features", "bias", "device", "dtype"])?;
                let in_features = self.size(b.required("in_features")?, "in_features", 1)?;
                let units = self.size(b.required("out_features")?, "out_features", 1)?;
                self.only(&b, "bias", |e| self.boolean(e, "bias"))?;
                Ok(LayerSpec::Dense { in_features: Some(in_features), units })
            }
            Module::ReLU => {
                let b = bind(call, &["inplace"])?;
                self.only(&b, "inplace", |e| self.boolean(e, "inplace").map(|_| true))?;
                Ok(LayerSpec::Relu)
            }
            Module::Sigmoid => bind(call, &[]).map(|_| LayerSpec::Sigmoid),
            Module::Tanh => bind(call, &[]).map(|_| LayerSpec::Tanh),
            Module::LeakyReLU => {
                let b = bind(call, &["negative_slope", "inplace"])?;
                let slope = b.get("negative_slope").map(|e| self.float(e, "negative_slope")).transpose()?.unwrap_or(0.01);
                self.only(&b, "inplace", |e| self.boolean(e, "inplace").map(|_| true))?;
                Ok(LayerSpec::LeakyRelu { slope })
            }
            Module::Dropout => {
                let b = bind(call, &["p", "inplace"])?;
                let p = match b.get("p") {
                    Some(e) => self.in_range(e, "p", self.float(e, "p")?, |p| (0.0..1.0).contains(&p), "[0, 1)")?,
                    None => 0.5,
                };
                self.only(&b, "inplace", |e| self.boolean(e, "inplace").map(|_| true))?;
                Ok(LayerSpec::Dropout { p })
            }
            Module::BatchNorm2d => self.batch_norm(call),
            Module::Inception => {
                let b = bind(call, &["in_channels", "c1", "c2", "c3", "c4"])?;
                Ok(LayerSpec::Inception {
                    in_channels: self.size(b.required("in_channels")?, "in_channels", 1)?,
                    c1: self.size(b.required("c1")?, "c1", 1)?,
                    c2: self.pair(b.required("c2")?, "c2")?,
                    c3: self.pair(b.required("c3")?, "c3")?,
                    c4: self.size(b.required("c4")?, "c4", 1)?,
                })
            }
            // Read by `modules`.
            Module::Sequential | Module::Residual => Err(error(call.place, UNEXPECTED_END)),
        }
    }

    /// `nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
    /// groups=1, bias=True, padding_mode='zeros', device=None, dtype=None)`.
    fn conv(&self, call: &Call) -> Result<LayerSpec, CodeError> {
        let params = &["in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias", "padding_mode", "device", "dtype"];
        let b = bind(call, params)?;
        let in_channels = self.size(b.required("in_channels")?, "in_channels", 1)?;
        let out_channels = self.size(b.required("out_channels")?, "out_channels", 1)?;
        let kernel = self.square(b.required("kernel_size")?, "kernel_size", 1)?;
        let stride = b.get("stride").map(|e| self.square(e, "stride", 1)).transpose()?.unwrap_or(1);
        let padding = match b.get("padding") {
            // PyTorch's 'valid' is no padding; 'same' depends on the kernel and stride.
            Some(Expr { kind: Kind::Str(s), .. }) if s == "valid" => 0,
            Some(e @ Expr { kind: Kind::Str(_), .. }) => return Err(error(e.place, Message::new(PADDING_STRING).with("value", self.text(e)))),
            Some(e) => self.square(e, "padding", 0)?,
            None => 0,
        };
        self.only(&b, "dilation", |e| Ok(self.square(e, "dilation", 1)? == 1))?;
        self.only(&b, "groups", |e| Ok(self.size(e, "groups", 1)? == 1))?;
        let bias = b.get("bias").map(|e| self.boolean(e, "bias")).transpose()?.unwrap_or(true);
        self.only(&b, "padding_mode", |e| Ok(matches!(&e.kind, Kind::Str(s) if s == "zeros")))?;
        Ok(LayerSpec::Conv2d { in_channels: Some(in_channels), out_channels, kernel, stride, padding, bias })
    }

    /// `nn.MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
    /// ceil_mode=False)` and `nn.AvgPool2d(kernel_size, stride=None, padding=0,
    /// ceil_mode=False, count_include_pad=True, divisor_override=None)`; a stride left out (or
    /// None) is the kernel size, as in PyTorch.
    fn pool(&self, max: bool, call: &Call) -> Result<LayerSpec, CodeError> {
        let params: &'static [&'static str] = if max {
            &["kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"]
        } else {
            &["kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"]
        };
        let b = bind(call, params)?;
        let kernel = self.square(b.required("kernel_size")?, "kernel_size", 1)?;
        let stride = match b.get("stride") {
            Some(e) if !is_none(e) => self.square(e, "stride", 1)?,
            _ => kernel,
        };
        let padding = b.get("padding").map(|e| self.square(e, "padding", 0)).transpose()?.unwrap_or(0);
        self.only(&b, "ceil_mode", |e| Ok(!self.boolean(e, "ceil_mode")?))?;
        Ok(if max {
            self.only(&b, "dilation", |e| Ok(self.square(e, "dilation", 1)? == 1))?;
            self.only(&b, "return_indices", |e| Ok(!self.boolean(e, "return_indices")?))?;
            LayerSpec::MaxPool2d { kernel, stride, padding }
        } else {
            self.only(&b, "count_include_pad", |e| self.boolean(e, "count_include_pad"))?;
            self.only(&b, "divisor_override", |e| Ok(is_none(e)))?;
            LayerSpec::AvgPool2d { kernel, stride, padding }
        })
    }

    /// `nn.BatchNorm2d(num_features, eps=1e-05, momentum=0.1, affine=True,
    /// track_running_stats=True, device=None, dtype=None)`. The channel count is kept as written,
    /// for shape inference to check against what arrives.
    fn batch_norm(&self, call: &Call) -> Result<LayerSpec, CodeError> {
        let b = bind(call, &["num_features", "eps", "momentum", "affine", "track_running_stats", "device", "dtype"])?;
        let num_features = self.size(b.required("num_features")?, "num_features", 1)?;
        let eps = match b.get("eps") {
            Some(e) => self.in_range(e, "eps", self.float(e, "eps")?, |v| v > 0.0, "")?,
            None => 1e-5,
        };
        let momentum = match b.get("momentum") {
            // None is PyTorch's cumulative average, which the notebook does not have.
            Some(e) if is_none(e) => return Err(self.unsupported(&b, "momentum", e)),
            Some(e) => self.in_range(e, "momentum", self.float(e, "momentum")?, |v| (0.0..=1.0).contains(&v), "[0, 1]")?,
            None => 0.1,
        };
        self.only(&b, "affine", |e| self.boolean(e, "affine"))?;
        self.only(&b, "track_running_stats", |e| self.boolean(e, "track_running_stats"))?;
        Ok(LayerSpec::BatchNorm2d { eps, momentum, num_features: Some(num_features) })
    }

    /// The error for a setting PyTorch has but the notebook does not.
    fn unsupported(&self, b: &Bound, param: &str, e: &Expr) -> CodeError {
        error(e.place, Message::new(UNSUPPORTED).with("module", &b.module).with("argument", param).with("value", self.text(e)))
    }

    /// Accepts `param` when it is left out or `accept` says its value is one the notebook has.
    fn only(&self, b: &Bound, param: &str, accept: impl Fn(&Expr) -> Result<bool, CodeError>) -> Result<(), CodeError> {
        match b.get(param) {
            Some(e) if !accept(e)? => Err(self.unsupported(b, param, e)),
            _ => Ok(()),
        }
    }

    /// An integer argument (arithmetic done).
    fn integer(&self, e: &Expr, param: &str) -> Result<i128, CodeError> {
        match &e.kind {
            Kind::Num(Num::Int(n)) => Ok(*n),
            Kind::Num(Num::Float(_)) if e.division.is_some() => Err(error(e.division.unwrap_or(e.place), TRUE_DIVISION)),
            Kind::Name(path) if !is_constant(path) => Err(name_for_number(e, path)),
            _ => Err(error(e.place, Message::new(NOT_INTEGER).with("argument", param).with("value", self.text(e)))),
        }
    }

    /// A size: an integer of at least `min` (0 or 1) that fits this platform's usize.
    fn size(&self, e: &Expr, param: &str, min: usize) -> Result<usize, CodeError> {
        let n = self.integer(e, param)?;
        if n < min as i128 {
            let template = if min == 0 { NOT_NEGATIVE } else { AT_LEAST_ONE };
            return Err(error(e.place, Message::new(template).with("argument", param).with("value", n)));
        }
        usize::try_from(n).map_err(|_| error(e.place, Message::new(TOO_LARGE).with("argument", param).with("value", n)))
    }

    /// A kernel size, stride or padding: one number, or a pair of equal ones (square).
    fn square(&self, e: &Expr, param: &str, min: usize) -> Result<usize, CodeError> {
        match &e.kind {
            Kind::Tuple(items) if items.len() == 2 => {
                let (first, second) = (self.size(&items[0], param, min)?, self.size(&items[1], param, min)?);
                if first != second {
                    return Err(error(e.place, Message::new(NOT_SQUARE).with("argument", param).with("first", first).with("second", second)));
                }
                Ok(first)
            }
            Kind::Tuple(_) => Err(error(e.place, Message::new(PAIR).with("argument", param).with("value", self.text(e)))),
            _ => self.size(e, param, min),
        }
    }

    /// Inception's `(reduce, out)`.
    fn pair(&self, e: &Expr, param: &str) -> Result<[usize; 2], CodeError> {
        match &e.kind {
            Kind::Tuple(items) if items.len() == 2 => Ok([self.size(&items[0], param, 1)?, self.size(&items[1], param, 1)?]),
            _ => Err(error(e.place, Message::new(INCEPTION_PAIR).with("argument", param).with("value", self.text(e)))),
        }
    }

    /// A number, integers included, as the spec's f32.
    fn float(&self, e: &Expr, param: &str) -> Result<f32, CodeError> {
        let v = match &e.kind {
            Kind::Num(n) => n.as_f64(),
            Kind::Name(path) if !is_constant(path) => return Err(name_for_number(e, path)),
            _ => return Err(error(e.place, Message::new(NOT_NUMBER).with("argument", param).with("value", self.text(e)))),
        };
        let f = v as f32;
        if f.is_finite() {
            Ok(f)
        } else {
            Err(error(e.place, Message::new(TOO_LARGE).with("argument", param).with("value", self.text(e))))
        }
    }

    /// `value` when `ok` accepts it; else an error saying the range (or "more than 0" when
    /// `range` is empty).
    fn in_range(&self, e: &Expr, param: &str, value: f32, ok: impl Fn(f32) -> bool, range: &str) -> Result<f32, CodeError> {
        if ok(value) {
            return Ok(value);
        }
        let m = if range.is_empty() { Message::new(POSITIVE) } else { Message::new(RANGE).with("range", range) };
        Err(error(e.place, m.with("argument", param).with("value", self.text(e))))
    }

    fn boolean(&self, e: &Expr, param: &str) -> Result<bool, CodeError> {
        match &e.kind {
            Kind::Name(p) if p.len() == 1 && p[0] == "True" => Ok(true),
            Kind::Name(p) if p.len() == 1 && p[0] == "False" => Ok(false),
            _ => Err(error(e.place, Message::new(NOT_BOOL).with("argument", param).with("value", self.text(e)))),
        }
    }
}

fn is_none(e: &Expr) -> bool {
    matches!(&e.kind, Kind::Name(p) if p.len() == 1 && p[0] == "None")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, column: usize) -> Place {
        Place { line, column }
    }

    fn layers(code: &str) -> Vec<LayerSpec> {
        parse(code, "test", [1, 28, 28]).unwrap_or_else(|e| panic!("{e}")).spec.layers
    }

    /// The error for `code`, checked to be a complete sentence of this module.
    fn fails(code: &str) -> CodeError {
        let e = parse(code, "test", [1, 28, 28]).expect_err("should fail");
        assert!(e.message.is_complete(), "{e}");
        assert!(e.message.key().starts_with("code."), "{e}");
        e
    }

    fn conv(in_channels: usize, out_channels: usize, kernel: usize, stride: usize, padding: usize) -> LayerSpec {
        LayerSpec::Conv2d { in_channels: Some(in_channels), out_channels, kernel, stride, padding, bias: true }
    }

    fn outputs(parsed: &Parsed) -> Vec<String> {
        parsed.spec.infer().unwrap().iter().map(|r| r.output.to_string()).collect()
    }

    const LENET: &str = "net = nn.Sequential(
    nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2),
    nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2),
    nn.Flatten(),
    nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
    nn.Linear(120, 84), nn.Sigmoid(),
    nn.Linear(84, 10))";

    #[test]
    fn d2ls_lenet_as_d2l_writes_it() {
        let parsed = parse(LENET, "LeNet", [1, 28, 28]).unwrap();
        assert_eq!(parsed.spec.name, "LeNet");
        assert_eq!(parsed.spec.input, [1, 28, 28]);
        assert_eq!(parsed.spec.param_count().unwrap(), 61_706);
        let expected = [
            "(N, 6, 28, 28)",
            "(N, 6, 28, 28)",
            "(N, 6, 14, 14)",
            "(N, 16, 10, 10)",
            "(N, 16, 10, 10)",
            "(N, 16, 5, 5)",
            "(N, 400)",
            "(N, 120)",
            "(N, 120)",
            "(N, 84)",
            "(N, 84)",
            "(N, 10)",
        ];
        assert_eq!(outputs(&parsed), expected);
        assert_eq!(parsed.spec.layers[0], conv(1, 6, 5, 1, 2));
        assert_eq!(parsed.spec.layers[7], LayerSpec::Dense { in_features: Some(400), units: 120 });
        let places = [(2, 5), (2, 48), (3, 5), (4, 5), (4, 38), (5, 5), (6, 5), (7, 5), (7, 33), (8, 5), (8, 25), (9, 5)];
        assert_eq!(parsed.places, places.map(|(l, c)| at(l, c)));
    }

    #[test]
    fn d2ls_alexnet() {
        let code = "
net = nn.Sequential(
    # 这里使用一个11*11的更大窗口来捕捉对象。
    # 同时，步幅为4，以减少输出的高度和宽度。
    # 另外，输出通道的数目远大于LeNet
    nn.Conv2d(1, 96, kernel_size=11, stride=4, padding=1), nn.ReLU(),
    nn.MaxPool2d(kernel_size=3, stride=2),
    # 减小卷积窗口，使用填充为2来使得输入与输出的高和宽一致，且增大输出通道数
    nn.Conv2d(96, 256, kernel_size=5, padding=2), nn.ReLU(),
    nn.MaxPool2d(kernel_size=3, stride=2),
    # 使用三个连续的卷积层和较小的卷积窗口。
    nn.Conv2d(256, 384, kernel_size=3, padding=1), nn.ReLU(),
    nn.Conv2d(384, 384, kernel_size=3, padding=1), nn.ReLU(),
    nn.Conv2d(384, 256, kernel_size=3, padding=1), nn.ReLU(),
    nn.MaxPool2d(kernel_size=3, stride=2),
    nn.Flatten(),
    # 这里，全连接层的输出数量是LeNet中的好几倍。使用dropout层来减轻过拟合
    nn.Linear(6400, 4096), nn.ReLU(),
    nn.Dropout(p=0.5),
    nn.Linear(4096, 4096), nn.ReLU(),
    nn.Dropout(p=0.5),
    # 最后是输出层。由于这里使用Fashion-MNIST，所以用类别数为10，而非论文中的1000
    nn.Linear(4096, 10))
";
        let parsed = parse(code, "AlexNet", [1, 224, 224]).unwrap();
        assert_eq!(parsed.spec.param_count().unwrap(), 46_764_746);
        let out = outputs(&parsed);
        assert_eq!((out[0].as_str(), out[2].as_str(), out[13].as_str(), out[14].as_str()), ("(N, 96, 54, 54)", "(N, 96, 26, 26)", "(N, 6400)", "(N, 4096)"));
        assert_eq!(out.last().unwrap(), "(N, 10)");
        assert_eq!(parsed.spec.layers[0], conv(1, 96, 11, 4, 1));
        assert_eq!(parsed.spec.layers[2], LayerSpec::MaxPool2d { kernel: 3, stride: 2, padding: 0 });
        assert_eq!(parsed.spec.layers[16], LayerSpec::Dropout { p: 0.5 });
        assert_eq!(parsed.places[0], at(6, 5));
    }

    #[test]
    fn a_pasted_class_with_a_docstring_and_chinese_comments() {
        let code = r#"import torch
from torch import nn

class Tudui(nn.Module):
    """CIFAR-10 的小网络。注意：不是 nn.Sequential(nn.Conv3d(...)) 这种写法，
    'quotes' and "quotes" inside are fine."""
    def __init__(self):
        super(Tudui, self).__init__()
        s = 'nn.Sequential(' + "nn.Sequential("  # 字符串里的也不算
        # 卷积层 nn.Sequential(
        self.model1 = nn.Sequential(
            nn.Conv2d(3, 32, 5, padding=2),  # 32@32×32
            nn.MaxPool2d(2),
            # 第二个卷积
            nn.Conv2d(32, 32, 5, padding=2),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 5, padding=2),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(1024, 64),
            nn.Linear(64, 10),  # 输出 10 类
            # 结束
        )

    def forward(self, x):
        x = self.model1(x)
        return x
"#;
        let parsed = parse(code, "Tudui", [3, 32, 32]).unwrap();
        assert_eq!(parsed.spec.layers.len(), 9);
        assert_eq!(parsed.spec.layers[1], LayerSpec::MaxPool2d { kernel: 2, stride: 2, padding: 0 });
        assert_eq!(parsed.spec.param_count().unwrap(), 2432 + 25_632 + 51_264 + 65_600 + 650);
        assert_eq!(outputs(&parsed)[6], "(N, 1024)");
        assert_eq!(parsed.places[0], at(12, 13));
        assert_eq!(parsed.places[8], at(21, 13));
    }

    #[test]
    fn zfnet_written_with_the_mistake_parses_and_fails_in_shape_inference() {
        let code = "nn.Sequential(
            nn.Conv2d(3, 96, 7, 2, 1), nn.ReLU(), nn.MaxPool2d(3, 2),
            nn.Conv2d(96, 256, 5, 2, 0), nn.ReLU(), nn.MaxPool2d(3, 2),
            nn.Conv2d(256, 384, 3, 1, 1), nn.ReLU(),
            nn.Conv2d(384, 384, 3, 1, 1), nn.ReLU(),
            nn.Conv2d(384, 256, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(3, 2),
            nn.Flatten(),
            nn.Linear(256 * 6 * 6, 4096), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(4096, 1000))";
        let parsed = parse(code, "ZFNet", [3, 224, 224]).unwrap();
        assert_eq!(parsed.spec.layers[14], LayerSpec::Dense { in_features: Some(9216), units: 4096 });
        match parsed.spec.infer() {
            Err(crate::model::SpecError::FeatureMismatch { index, expected, got, .. }) => assert_eq!((index, expected, got), (14, 9216, 6400)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_residual_network_with_an_identity_and_a_projection_block() {
        let code = "net = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
    Residual(nn.Conv2d(16, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
             nn.Conv2d(16, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16)),
    nn.ReLU(),
    Residual(nn.Conv2d(16, 32, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
             nn.Conv2d(32, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32),
             shortcut=nn.Conv2d(16, 32, 1, stride=2)),
    nn.ReLU(),
    nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(32, 10))";
        let parsed = parse(code, "ResNet", [1, 28, 28]).unwrap();
        let layers = &parsed.spec.layers;
        assert_eq!(layers.len(), 10);
        let bn = |c| LayerSpec::BatchNorm2d { eps: 1e-5, momentum: 0.1, num_features: Some(c) };
        let no_bias = |i, o, stride| LayerSpec::Conv2d { in_channels: Some(i), out_channels: o, kernel: 3, stride, padding: 1, bias: false };
        assert_eq!(layers[3], LayerSpec::Residual { body: vec![no_bias(16, 16, 1), bn(16), LayerSpec::Relu, no_bias(16, 16, 1), bn(16)], shortcut: vec![] });
        assert_eq!(
            layers[5],
            LayerSpec::Residual { body: vec![no_bias(16, 32, 2), bn(32), LayerSpec::Relu, no_bias(32, 32, 1), bn(32)], shortcut: vec![conv(16, 32, 1, 2, 0)] }
        );
        assert_eq!(layers[7], LayerSpec::GlobalAvgPool);
        assert_eq!(parsed.places.len(), graph::count_sources(layers));
        assert_eq!(parsed.places.len(), 10 + 5 + 6);
        // Pre-order: the block, its body, then its shortcut.
        let expected = [
            (2, 5),
            (2, 49),
            (2, 69),
            (3, 5),
            (3, 14),
            (3, 59),
            (3, 79),
            (4, 14),
            (4, 59),
            (5, 5),
            (6, 5),
            (6, 14),
            (6, 69),
            (6, 89),
            (7, 14),
            (7, 59),
            (8, 23),
            (9, 5),
            (10, 5),
            (10, 35),
            (10, 49),
        ];
        assert_eq!(parsed.places, expected.map(|(l, c)| at(l, c)));
        // Every node of the unrolled graph points back at a place.
        let rows = parsed.spec.infer().unwrap();
        assert!(rows.iter().all(|r| r.source < parsed.places.len()));
        assert_eq!(rows.last().unwrap().output.to_string(), "(N, 10)");
        let shortcut = rows.iter().find(|r| r.name == "5.shortcut").unwrap();
        assert_eq!(parsed.places[shortcut.source], at(8, 23));
    }

    #[test]
    fn a_shortcut_may_be_a_sequential_and_a_body_flattens_its_sequentials() {
        let code = "nn.Sequential(Residual(nn.Sequential(nn.Conv2d(1, 8, 3, 2, 1), nn.ReLU()), nn.Conv2d(8, 8, 3, padding=1),
            shortcut=nn.Sequential(nn.Conv2d(1, 8, 1, stride=2), nn.BatchNorm2d(8))), Residual(nn.ReLU(), shortcut=None))";
        let parsed = parse(code, "t", [1, 28, 28]).unwrap();
        let LayerSpec::Residual { body, shortcut } = &parsed.spec.layers[0] else { panic!() };
        assert_eq!((body.len(), shortcut.len()), (3, 2));
        assert_eq!(parsed.spec.layers[1], LayerSpec::Residual { body: vec![LayerSpec::Relu], shortcut: vec![] });
        assert_eq!(parsed.places.len(), 1 + 3 + 2 + 1 + 1);
        assert_eq!(parsed.places[4], at(2, 36));
        parsed.spec.infer().unwrap();
    }

    #[test]
    fn d2ls_inception_block_gives_256_channels() {
        let parsed = parse("nn.Sequential(Inception(192, 64, (96, 128), (16, 32), 32))", "g", [192, 28, 28]).unwrap();
        assert_eq!(parsed.spec.layers, [LayerSpec::Inception { in_channels: 192, c1: 64, c2: [96, 128], c3: [16, 32], c4: 32 }]);
        assert_eq!(parsed.places, [at(1, 15)]);
        assert_eq!(parsed.spec.infer().unwrap().last().unwrap().output.to_string(), "(N, 256, 28, 28)");
        let keywords = "nn.Sequential(Inception(in_channels=192, c1=64, c2=[96, 128], c3=(16, 32), c4=32), nn.AdaptiveAvgPool2d(1))";
        let parsed = parse(keywords, "g", [192, 28, 28]).unwrap();
        assert_eq!(parsed.spec.layers[0], LayerSpec::Inception { in_channels: 192, c1: 64, c2: [96, 128], c3: [16, 32], c4: 32 });
        assert_eq!(parsed.spec.infer().unwrap().last().unwrap().output.to_string(), "(N, 256, 1, 1)");
    }

    #[test]
    fn arguments_as_pytorch_takes_them() {
        assert_eq!(layers("nn.Sequential(nn.Conv2d(3,96,11,4,0))"), [conv(3, 96, 11, 4, 0)]);
        assert_eq!(layers("nn.Sequential(nn.Conv2d(3, 8, (3, 3), stride=(2, 2), padding=[1, 1]))"), [conv(3, 8, 3, 2, 1)]);
        assert_eq!(layers("nn.Sequential(nn.Conv2d(3, 8, 3, padding='valid', padding_mode='zeros', dilation=1, groups=1))"), [conv(3, 8, 3, 1, 0)]);
        assert_eq!(
            layers("nn.Sequential(nn.Conv2d(in_channels=3, out_channels=8, kernel_size=3, bias=False, device=None))"),
            [LayerSpec::Conv2d { in_channels: Some(3), out_channels: 8, kernel: 3, stride: 1, padding: 0, bias: false }]
        );
        let pools = layers(
            "nn.Sequential(nn.MaxPool2d(3, 2), nn.MaxPool2d(2), nn.MaxPool2d(kernel_size=3, stride=2, padding=1), nn.AvgPool2d(2), nn.AvgPool2d(3, 1, 1), nn.MaxPool2d(2, None))",
        );
        assert_eq!(
            pools,
            [
                LayerSpec::MaxPool2d { kernel: 3, stride: 2, padding: 0 },
                LayerSpec::MaxPool2d { kernel: 2, stride: 2, padding: 0 },
                LayerSpec::MaxPool2d { kernel: 3, stride: 2, padding: 1 },
                LayerSpec::AvgPool2d { kernel: 2, stride: 2, padding: 0 },
                LayerSpec::AvgPool2d { kernel: 3, stride: 1, padding: 1 },
                LayerSpec::MaxPool2d { kernel: 2, stride: 2, padding: 0 },
            ]
        );
        let dense = layers("nn.Sequential(nn.Linear(16 * 5 * 5, 120), nn.Linear(in_features=(10 + 2) // 4 - 1, out_features=2 ** 3), nn.Linear(0x10, 1_000))");
        assert_eq!(
            dense,
            [
                LayerSpec::Dense { in_features: Some(400), units: 120 },
                LayerSpec::Dense { in_features: Some(2), units: 8 },
                LayerSpec::Dense { in_features: Some(16), units: 1000 }
            ]
        );
        assert_eq!(layers("nn.Sequential(nn.Linear(-7 // 2 + 6, 1))"), [LayerSpec::Dense { in_features: Some(2), units: 1 }], "// rounds down");
        let rest = layers(
            "nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.ReLU(), nn.ReLU(inplace=True), nn.ReLU(True),
             nn.Sigmoid(), nn.Tanh(), nn.LeakyReLU(), nn.LeakyReLU(0.2), nn.LeakyReLU(negative_slope=.1, inplace=False),
             nn.Dropout(), nn.Dropout(0.3), nn.Dropout(p=1 / 4), nn.BatchNorm2d(6), nn.BatchNorm2d(num_features=6, eps=1e-3, momentum=0.01))",
        );
        assert_eq!(
            rest,
            [
                LayerSpec::GlobalAvgPool,
                LayerSpec::GlobalAvgPool,
                LayerSpec::Flatten,
                LayerSpec::Relu,
                LayerSpec::Relu,
                LayerSpec::Relu,
                LayerSpec::Sigmoid,
                LayerSpec::Tanh,
                LayerSpec::LeakyRelu { slope: 0.01 },
                LayerSpec::LeakyRelu { slope: 0.2 },
                LayerSpec::LeakyRelu { slope: 0.1 },
                LayerSpec::Dropout { p: 0.5 },
                LayerSpec::Dropout { p: 0.3 },
                LayerSpec::Dropout { p: 0.25 },
                LayerSpec::BatchNorm2d { eps: 1e-5, momentum: 0.1, num_features: Some(6) },
                LayerSpec::BatchNorm2d { eps: 1e-3, momentum: 0.01, num_features: Some(6) },
            ]
        );
    }

    #[test]
    fn prefixes_whitespace_trailing_commas_and_where_the_sequential_is() {
        let expected = [conv(1, 6, 5, 1, 0), LayerSpec::Relu];
        assert_eq!(layers("Sequential(Conv2d(1, 6, 5), ReLU())"), expected);
        assert_eq!(layers("torch.nn.Sequential(torch.nn.Conv2d(1, 6, 5,), torch.nn.ReLU(),)"), expected);
        assert_eq!(layers("model = nn.Sequential(\n\n  nn.Conv2d(  1,\n 6 ,\t5  # six\n )\n , nn.ReLU ( ) # 激活\n  # 结束\n) .to(device)"), expected);
        assert_eq!(layers("net = nn.Sequential(nn.Sequential(nn.Conv2d(1, 6, 5)), nn.Sequential(nn.ReLU()))"), expected);
        assert_eq!(layers("nn.Sequential()"), []);
        // The first top-level one: not a shortcut standing before it, not a later one.
        let code = "blk = Residual(nn.ReLU(), shortcut=nn.Sequential(nn.Conv2d(3, 3, 1)))\nnet = nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU())\nother = nn.Sequential(nn.Tanh())";
        assert_eq!(layers(code), expected);
        // keras.Sequential and a definition are not PyTorch's.
        assert_eq!(layers("m = keras.Sequential([])\ndef Sequential(x): pass\nnn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU())"), expected);
        // Whatever follows the call (the rest of a class, even broken code) is not read.
        assert_eq!(layers("nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU())) + ( 'x"), expected);
        let parsed = parse("\r\n  net = nn.Sequential(\r\n\tnn.ReLU())", "t", [1, 2, 2]).unwrap();
        assert_eq!(parsed.places, [at(3, 2)]);
        let parsed = parse("# 网络\nnet = nn.Sequential(nn.ReLU(), 网络.ReLU())", "t", [1, 2, 2]);
        assert_eq!(parsed.unwrap_err().place, at(2, 32), "columns count characters, not bytes");
    }

    #[test]
    fn errors_say_where_and_why() {
        let cases: &[(&str, (usize, usize), &str)] = &[
            ("import torch\nx = 1", (1, 1), "code.noSequential"),
            ("s = \"\"\"nn.Sequential(nn.ReLU())", (1, 5), "code.unterminatedString"),
            ("nn.Sequential(\n  nn.Conv3d(1, 6, 5))", (2, 3), "code.unknownModule"),
            ("nn.Sequential(nn.Conv2D(1, 6, 5))", (1, 15), "code.unknownModuleHint"),
            ("nn.Sequential(nn.Linear(400, 10), nn.Softmax(dim=1))", (1, 35), "code.softmax"),
            ("nn.Sequential(nn.ReLU)", (1, 15), "code.notCalled"),
            ("net = nn.Sequential(b1, b2, nn.Flatten())", (1, 21), "code.nameForModule"),
            ("nn.Sequential(nn.Linear(num_inputs, 10))", (1, 25), "code.nameForNumber"),
            ("nn.Sequential(3)", (1, 15), "code.notAModule"),
            ("nn.Sequential(\n  nn.Conv2d(1, 6, 5)", (1, 14), "code.unclosed"),
            ("nn.Sequential(nn.Linear(4, (2)", (1, 24), "code.unclosed"),
            ("nn.Sequential(nn.ReLU() nn.ReLU())", (1, 25), "code.expectedComma"),
            ("nn.Sequential(nn.ReLU()，nn.ReLU())", (1, 24), "code.expectedComma"),
            ("nn.Sequential(nn.Linear(4, 2]))", (1, 29), "code.expectedComma"),
            ("nn.Sequential(nn.Linear(4, , 2))", (1, 28), "code.expectedValue"),
            ("nn.Sequential(*layers)", (1, 15), "code.expectedValue"),
            ("nn.Sequential(nn.)", (1, 18), "code.expectedName"),
            ("nn.Sequential(nn.Linear(120))", (1, 15), "code.missingArgument"),
            ("nn.Sequential(nn.Conv2d(1, 6))", (1, 15), "code.missingArgument"),
            ("nn.Sequential(nn.MaxPool2d(2, 2, 0, 1, False, False, 7))", (1, 54), "code.tooManyArguments"),
            ("nn.Sequential(nn.Sigmoid(1))", (1, 26), "code.tooManyArguments"),
            ("nn.Sequential(nn.Conv2d(1, 6, kernel=5))", (1, 31), "code.unknownKeyword"),
            ("nn.Sequential(Residual(nn.ReLU(), project=True))", (1, 35), "code.unknownKeyword"),
            ("nn.Sequential(nn.ReLU(), name=nn.Tanh())", (1, 26), "code.noKeywords"),
            ("nn.Sequential(nn.Conv2d(1, 6, 5, kernel_size=3))", (1, 34), "code.duplicateArgument"),
            ("nn.Sequential(nn.Conv2d(1, out_channels=6, 5))", (1, 44), "code.positionalAfterKeyword"),
            ("nn.Sequential(nn.Linear(4.5, 2))", (1, 25), "code.notInteger"),
            ("nn.Sequential(nn.Linear('4', 2))", (1, 25), "code.notInteger"),
            ("nn.Sequential(nn.Linear(400 / 2, 2))", (1, 29), "code.trueDivision"),
            ("nn.Sequential(nn.Dropout('half'))", (1, 26), "code.notNumber"),
            ("nn.Sequential(nn.ReLU(inplace=1))", (1, 31), "code.notBool"),
            ("nn.Sequential(nn.Conv2d(1, 0, 5))", (1, 28), "code.atLeastOne"),
            ("nn.Sequential(nn.Conv2d(1, 6, 5 - 8))", (1, 31), "code.atLeastOne"),
            ("nn.Sequential(nn.Conv2d(1, 6, 5, padding=-1))", (1, 42), "code.notNegative"),
            ("nn.Sequential(nn.Linear(99999999999999999999999, 2))", (1, 25), "code.tooLarge"),
            ("nn.Sequential(nn.Linear(999999999999999999999999999999999999999999, 2))", (1, 25), "code.numberTooLarge"),
            ("nn.Sequential(nn.Linear(10 ** 100, 2))", (1, 28), "code.arithmetic"),
            ("nn.Sequential(nn.Linear(12abc, 2))", (1, 25), "code.badNumber"),
            ("nn.Sequential(nn.Linear(400 // (2 - 2), 2))", (1, 29), "code.divisionByZero"),
            ("nn.Sequential(nn.Linear(nn.ReLU() * 2, 2))", (1, 25), "code.notArithmetic"),
            ("nn.Sequential(nn.Conv2d(1, 6, (3, 5)))", (1, 31), "code.notSquare"),
            ("nn.Sequential(nn.Conv2d(1, 6, (3, 3, 3)))", (1, 31), "code.pair"),
            ("nn.Sequential(nn.Conv2d(1, 6, 3, padding='same'))", (1, 42), "code.paddingString"),
            ("nn.Sequential(nn.MaxPool2d(3, 2, ceil_mode=True))", (1, 44), "code.unsupported"),
            ("nn.Sequential(nn.Linear(4, 2, bias=False))", (1, 36), "code.unsupported"),
            ("nn.Sequential(nn.BatchNorm2d(6, momentum=None))", (1, 42), "code.unsupported"),
            ("nn.Sequential(nn.AdaptiveAvgPool2d((6, 6)))", (1, 36), "code.adaptiveSize"),
            ("nn.Sequential(Inception(192, 64, 96, (16, 32), 32))", (1, 34), "code.inceptionPair"),
            ("nn.Sequential(nn.Dropout(1.0))", (1, 26), "code.range"),
            ("nn.Sequential(nn.BatchNorm2d(6, eps=0))", (1, 37), "code.positive"),
            ("nn.Sequential(Residual(shortcut=nn.Conv2d(1, 2, 1)))", (1, 15), "code.emptyBody"),
            ("nn.Sequential(nn.Linear(4, 'x\n), nn.ReLU())", (1, 28), "code.unterminatedString"),
        ];
        for &(code, (line, column), key) in cases {
            let e = fails(code);
            assert_eq!((e.message.key(), e.place), (key, at(line, column)), "{code}: {e}");
        }
    }

    #[test]
    fn error_messages_read_well() {
        let text = |code: &str| fails(code).to_string();
        assert_eq!(text("x = 1"), "line 1, column 1: no nn.Sequential(...) was found in the code: paste the network written as nn.Sequential(...), alone or inside its class");
        assert_eq!(
            text("nn.Sequential(nn.Conv3d(1, 6, 5))"),
            "line 1, column 15: nn.Conv3d is not a layer the notebook has; it has Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Flatten, Linear, ReLU, LeakyReLU, Sigmoid, Tanh, Dropout, BatchNorm2d, Sequential, Residual, Inception"
        );
        assert_eq!(text("nn.Sequential(nn.Conv2d(1, 6, (3, 5)))"), "line 1, column 31: only square kernels here: kernel_size is 3×5; write one number");
        assert_eq!(text("nn.Sequential(b1, b2)"), "line 1, column 15: b1 is a name defined elsewhere in the code; write its layers here instead");
        assert_eq!(text("nn.Sequential(nn.Linear(120))"), "line 1, column 15: nn.Linear needs its argument out_features");
        assert_eq!(text("nn.Sequential(Dense(10))"), "line 1, column 15: Dense is not a layer the notebook has; did you mean nn.Linear?");
        assert_eq!(text("nn.Sequential(nn.Linear(4, 2])"), "line 1, column 29: expected a comma or “)” here, but found “]”");
        assert_eq!(text("nn.Sequential(nn.Conv2d(1, 6, 5, stride=0))"), "line 1, column 41: stride must be at least 1, not 0");
        assert_eq!(text("nn.Sequential(nn.Conv2d(1, 6, 5, dilation=2))"), "line 1, column 43: nn.Conv2d: dilation=2 is not supported here");
        assert_eq!(text("nn.Sequential(nn.Dropout(p=2))"), "line 1, column 28: p must be in [0, 1), not 2");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        for code in [
            format!("nn.Sequential({}", "(".repeat(100_000)),
            format!("nn.Sequential(nn.Linear({}1, 2))", "-".repeat(100_000)),
            format!("nn.Sequential({}", "nn.Sequential(".repeat(10_000)),
            format!("nn.Sequential(nn.Linear({}1, 2))", "2 ** ".repeat(100_000)),
        ] {
            assert_eq!(fails(&code).message.key(), "code.tooDeep");
        }
        // Within the limit, nesting is fine, and long flat arithmetic needs no depth.
        let nested = format!("{}nn.ReLU(){}", "nn.Sequential(".repeat(30), ")".repeat(30));
        assert_eq!(layers(&nested), [LayerSpec::Relu]);
        let sum = format!("nn.Sequential(nn.Linear({}1, 2))", "1 + ".repeat(100_000));
        assert_eq!(layers(&sum), [LayerSpec::Dense { in_features: Some(100_001), units: 2 }]);
    }

    /// The deepest nesting allowed fits in a quarter of wasm's 1 MiB stack.
    #[test]
    fn the_deepest_nesting_needs_little_stack() {
        let deepest = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(|| {
                let calls = format!("{}nn.ReLU(){}", "nn.Sequential(".repeat(MAX_DEPTH - 1), ")".repeat(MAX_DEPTH - 1));
                let tuples = format!("nn.Sequential(nn.Conv2d(1, 2, {}3{}))", "(".repeat(MAX_DEPTH - 2), ")".repeat(MAX_DEPTH - 2));
                let too_deep = format!("nn.Sequential(nn.Conv2d(1, 2, {}3{}))", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
                (parse(&calls, "t", [1, 4, 4]).map(|p| p.spec.layers), parse(&tuples, "t", [1, 4, 4]).map(|p| p.spec.layers), parse(&too_deep, "t", [1, 4, 4]).map_err(|e| e.message.key()))
            })
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(deepest.0, Ok(vec![LayerSpec::Relu]));
        assert_eq!(deepest.1, Ok(vec![conv(1, 2, 3, 1, 0)]));
        assert_eq!(deepest.2, Err("code.tooDeep"));
    }

    /// Random and mutated pastes: every one parses or fails with a complete sentence of this
    /// module, and the places always match the spec's pre-order.
    #[test]
    fn no_input_makes_it_panic() {
        let mut rng = crate::rng::Rng::new(7);
        let seeds = [LENET, "nn.Sequential(Residual(nn.Conv2d(1, 2, 3, padding=1), shortcut=nn.Sequential(nn.Conv2d(1, 2, 1), nn.BatchNorm2d(2))), Inception(2, 1, (1, 1), (1, 1), 1))"];
        let pieces = [
            "(", ")", "[", "]", ",", "=", ".", "'", "\"", "\"\"\"", "#", "\n", " ", "*", "//", "/", "**", "-", "+", "0", "9", "1e5", "0x", "_", "nn.", "Sequential(", "Residual(",
            "shortcut=", "None", "True", "网络", "，", "\\", "\r", "é", "𝔁",
        ];
        for round in 0..4000 {
            let mut code: Vec<char> = seeds[round % 2].chars().collect();
            for _ in 0..1 + rng.below(6) {
                let at = rng.below(code.len() + 1);
                match rng.below(4) {
                    0 if at < code.len() => {
                        code.remove(at);
                    }
                    1 => {
                        let end = (at + rng.below(20)).min(code.len());
                        code.drain(at..end);
                    }
                    _ => {
                        let piece = pieces[rng.below(pieces.len())];
                        for (i, c) in piece.chars().enumerate() {
                            code.insert(at + i, c);
                        }
                    }
                }
            }
            let code: String = if round % 10 == 9 { (0..rng.below(80)).map(|_| pieces[rng.below(pieces.len())]).collect() } else { code.into_iter().collect() };
            match parse(&code, "fuzz", [1, 28, 28]) {
                Ok(p) => assert_eq!(p.places.len(), graph::count_sources(&p.spec.layers), "{code}"),
                Err(e) => {
                    assert!(e.message.is_complete() && e.message.key().starts_with("code."), "{code}: {e}");
                    assert!(e.place.line >= 1 && e.place.column >= 1);
                }
            }
        }
    }

    #[test]
    fn templates_are_this_modules_and_unique() {
        let mut keys: Vec<&str> = TEMPLATES.iter().map(|t| t.key).collect();
        assert!(keys.iter().all(|k| k.starts_with("code.")));
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), TEMPLATES.len());
        for t in TEMPLATES {
            assert_eq!(t.en.matches('{').count(), t.en.matches('}').count(), "{}", t.key);
        }
    }
}
