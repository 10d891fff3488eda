//! One typed model per derive: what the check step reads and the
//! generators expand.
//!
//! Every derive is parsed completely before anything is judged, so that
//! the check step sees the whole input (a rule may relate a container
//! attribute to a field, or one field to another) and the generators only
//! ever read a model that passed it.

use syn::DeriveInput;

use super::Ctxt;
use super::argument_attrs::{ArgField, ArgumentsAttrs};
use super::ast::Container;
use super::endpoint_attrs::EndpointAttrs;
use super::enum_attrs::ArgumentEnum;
use super::resource_attrs::{ResField, ResourceAttrs};

/// Which derive is running.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Derive {
    Arguments,
    Endpoint,
    Resource,
    ArgumentEnum,
}

impl Derive {
    /// The derive's name, as users write it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Arguments => "Arguments",
            Self::Endpoint => "Endpoint",
            Self::Resource => "Resource",
            Self::ArgumentEnum => "ArgumentEnum",
        }
    }
}

/// A derive's input, parsed.
pub(crate) enum Model<'a> {
    Arguments(Arguments<'a>),
    Endpoint(Endpoint<'a>),
    Resource(Resource<'a>),
    ArgumentEnum(ArgumentEnum<'a>),
}

/// `#[derive(Arguments)]`: a struct whose fields are arguments.
pub(crate) struct Arguments<'a> {
    pub(crate) container: Container<'a>,
    pub(crate) attrs: ArgumentsAttrs,
    pub(crate) fields: Vec<ArgField<'a>>,
}

/// `#[derive(Endpoint)]`: arguments, plus a method, a path and the rest of
/// the endpoint's description.
pub(crate) struct Endpoint<'a> {
    pub(crate) container: Container<'a>,
    pub(crate) attrs: EndpointAttrs,
    pub(crate) fields: Vec<ArgField<'a>>,
}

/// `#[derive(Resource)]`: the fields that go out, and who sees each.
pub(crate) struct Resource<'a> {
    pub(crate) container: Container<'a>,
    pub(crate) attrs: ResourceAttrs,
    pub(crate) fields: Vec<ResField<'a>>,
}

impl<'a> Model<'a> {
    /// Parses `input` for `derive`, reporting every mistake to `cx`; `None`
    /// when the input's shape (an enum for a struct derive, a tuple struct)
    /// leaves nothing to model.
    pub(crate) fn parse(cx: &Ctxt, input: &'a DeriveInput, derive: Derive) -> Option<Self> {
        let structure = || Container::from_struct(cx, input, derive.name());
        Some(match derive {
            Derive::Arguments => {
                let (container, fields) = structure()?;
                Self::Arguments(Arguments {
                    attrs: ArgumentsAttrs::parse(cx, &container),
                    fields: fields.into_iter().map(|f| ArgField::parse(cx, f)).collect(),
                    container,
                })
            }
            Derive::Endpoint => {
                let (container, fields) = structure()?;
                Self::Endpoint(Endpoint {
                    attrs: EndpointAttrs::parse(cx, &container),
                    fields: fields.into_iter().map(|f| ArgField::parse(cx, f)).collect(),
                    container,
                })
            }
            Derive::Resource => {
                let (container, fields) = structure()?;
                Self::Resource(Resource {
                    attrs: ResourceAttrs::parse(cx, &container),
                    fields: fields.into_iter().map(|f| ResField::parse(cx, f)).collect(),
                    container,
                })
            }
            Derive::ArgumentEnum => Self::ArgumentEnum(ArgumentEnum::parse(cx, input)?),
        })
    }
}
