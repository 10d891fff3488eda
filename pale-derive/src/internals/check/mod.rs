//! The check step: rules over a parsed model, one function each, with the
//! reason it exists.
//!
//! [`check`] is the one entry: each derive parses its input completely
//! into a [`Model`], then this runs every rule that applies to it, in a
//! fixed order, reporting to the same accumulator, so the user gets every
//! mistake at once. Parsing reports what cannot be read into the model
//! (an unknown or repeated attribute, a value not of its attribute's
//! form); the rules here weigh what was read: whether it fits what the
//! generated code makes of it (a method, a header value, an XML element
//! name), and how attributes, fields and types relate.

mod argument_field;
mod endpoint;
mod names;
mod resource;
mod values;

use super::Ctxt;
use super::argument_attrs::ArgField;
use super::enum_attrs::ArgumentEnum;
use super::model::{self, Model};

/// Runs every rule that applies to `model`.
pub(crate) fn check(cx: &Ctxt, model: &Model<'_>) {
    match model {
        Model::Arguments(m) => check_arguments(cx, m),
        Model::Endpoint(m) => check_endpoint(cx, m),
        Model::Resource(m) => check_resource(cx, m),
        Model::ArgumentEnum(m) => check_argument_enum(cx, m),
    }
}

fn check_arguments(cx: &Ctxt, model: &model::Arguments<'_>) {
    argument_fields(cx, &model.fields);
    for field in &model.fields {
        argument_field::no_path_source(cx, field);
    }
}

fn check_endpoint(cx: &Ctxt, model: &model::Endpoint<'_>) {
    let attrs = &model.attrs;
    endpoint::method_and_path_given(cx, model);
    if let Some(method) = &attrs.method {
        endpoint::method_is_known(cx, method);
        endpoint::no_body_on_reads(cx, method, &model.fields);
    }
    endpoint::name_is_a_route_name(cx, &attrs.name);
    endpoint::cache_is_a_header_value(cx, &attrs.cache);
    endpoint::envelope_is_an_element_name(cx, &attrs.envelope);
    endpoint::tags_named(cx, &attrs.tags);
    endpoint::one_document(cx, &model.fields);
    endpoint::create_body_is_the_document(cx, model);
    argument_fields(cx, &model.fields);
    if let Some(path) = &attrs.path {
        endpoint::no_query_in_path(cx, path);
        endpoint::path_params(cx, path, &model.fields);
    }
}

fn check_resource(cx: &Ctxt, model: &model::Resource<'_>) {
    let (attrs, fields) = (&model.attrs, &model.fields);
    let rendered = || fields.iter().filter(|f| !f.skip.is_some());
    names::unique_names(cx, rendered().map(|f| (f.name.clone(), f.field.member)));
    resource::name_is_an_element_name(cx, &attrs.name);
    resource::viewer_needs_context(cx, attrs);
    resource::creator_is_a_viewer(cx, attrs, fields);
    resource::default_fields_exist(cx, attrs, fields);
    resource::at_most_64_fields(cx, model.container.ident, rendered().count());
    for field in fields {
        resource::rename_is_an_element_name(cx, field);
        resource::skip_alone(cx, field);
        resource::one_value_source(cx, field);
        resource::write_rules(cx, field);
        values::bounds_in_order(cx, &field.constraints);
        values::one_of_unique(cx, &field.constraints);
    }
}

fn check_argument_enum(cx: &Ctxt, model: &ArgumentEnum<'_>) {
    names::has_variants(cx, model);
    names::unique_variant_names(cx, model);
}

/// The rules every argument field follows, in an `Arguments` or an
/// `Endpoint` struct alike, so a rule added here holds for both.
fn argument_fields(cx: &Ctxt, fields: &[ArgField<'_>]) {
    let named = fields.iter().filter(|f| !f.is_flattened());
    names::unique_names(cx, named.map(|f| (f.name.clone(), f.field.member)));
    for field in fields {
        argument_field::flatten_alone(cx, field);
        argument_field::separator_needs_list(cx, field);
        argument_field::default_not_on_option(cx, field);
        values::default_literal_fits(cx, field);
        values::bounds_in_order(cx, &field.constraints);
        values::one_of_unique(cx, &field.constraints);
        values::default_meets_constraints(cx, field);
    }
}
