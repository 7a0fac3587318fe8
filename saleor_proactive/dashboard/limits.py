"""Cheap shape limits checked on the parsed document before anything is executed."""

from __future__ import annotations

from graphql.language import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)

# The schema's own depth limit (10) skips introspection; this one covers every field, with room
# for the standard introspection query (about 13 levels through its TypeRef fragment).
MAX_DOCUMENT_DEPTH = 20


def document_depth(document: DocumentNode) -> int:
    """The deepest field nesting of any operation, following fragments (cycles stop)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    depths = [
        _depth(d.selection_set, fragments, frozenset())
        for d in document.definitions
        if not isinstance(d, FragmentDefinitionNode) and hasattr(d, "selection_set")
    ]
    return max(depths, default=0)


def _depth(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    visiting: frozenset[str],
) -> int:
    if selection_set is None:
        return 0
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            depth = 1 + _depth(selection.selection_set, fragments, visiting)
        elif isinstance(selection, InlineFragmentNode):
            depth = _depth(selection.selection_set, fragments, visiting)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is None or name in visiting:
                continue  # validation reports unknown or cyclic fragments
            depth = _depth(fragment.selection_set, fragments, visiting | {name})
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_DOCUMENT_DEPTH:
            break  # enough to refuse; do not walk a hostile document further
    return deepest
