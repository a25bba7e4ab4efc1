"""Paper vectors and the nearest-neighbour search behind marts.similar_papers."""

from __future__ import annotations

import numpy as np

from transforms.neighbour_search import all_nearest, nearest
from transforms.paper_vectors import DIMENSIONS, embed, embed_one, paper_text, words


def test_words_are_lower_case_singular_without_stop_words():
    assert words("We propose Diffusion Models and the Transformers process") == [
        "diffusion", "transformer", "process"]
    assert "model" not in words("Models models MODEL")  # a word every paper uses
    assert words("Gaussians splatting analysis") == ["gaussian", "splatting", "analysis"]


def test_a_vector_depends_on_its_text_alone():
    texts = ["Kolmogorov-Arnold networks with learnable activations",
             "Speech synthesis with neural codec language models", ""]
    together = embed(texts)
    assert together.shape == (3, DIMENSIONS) and together.dtype == np.float32
    for text, vector in zip(texts, together):
        assert np.allclose(vector, embed([text])[0]) and np.allclose(vector, embed_one(text), atol=1e-6)
    assert np.isclose(np.linalg.norm(together[0]), 1.0) and not together[2].any()
    assert np.array_equal(embed(texts[:1]), embed(texts[:1]))  # the same bytes every time


def test_papers_sharing_their_words_are_nearer_than_papers_that_do_not():
    kan = paper_text("Networks after Kolmogorov and Arnold", "Learnable activation functions on edges.",
                     ["Kolmogorov-Arnold representation"])
    kat = paper_text("Kolmogorov-Arnold Transformer", "Replacing MLP layers with KAN layers.", [])
    tts = paper_text("Zero-shot text-to-speech", "A speech codec language model.", ["speech"])
    a, b, c = embed([kan, kat, tts])
    assert a @ b > 0.3 > a @ c


def test_nearest_is_the_brute_force_answer_without_the_query_itself():
    rng = np.random.default_rng(7)
    corpus = rng.standard_normal((300, 32)).astype(np.float32)
    corpus /= np.linalg.norm(corpus, axis=1, keepdims=True)
    rows, scores = nearest(corpus, corpus, 10, query_rows=np.arange(300), chunk=64)
    full = corpus @ corpus.T
    np.fill_diagonal(full, -np.inf)
    expected = np.argsort(-full, axis=1, kind="stable")[:, :10]
    assert np.array_equal(rows, expected)
    assert np.allclose(scores, np.take_along_axis(full, expected, axis=1))
    assert (rows != np.arange(300)[:, None]).all()


def test_ties_are_ranked_by_row():
    corpus = np.array([[1, 0], [1, 0], [1, 0], [0, 1]], dtype=np.float32)
    rows, _ = nearest(corpus[:1], corpus, 3, query_rows=np.array([0]))
    assert rows.tolist() == [[1, 2, 3]]


def test_all_nearest_above_the_exact_limit_finds_the_neighbours_of_clustered_papers():
    rng = np.random.default_rng(11)
    centres = rng.standard_normal((40, 64))
    corpus = (np.repeat(centres, 100, axis=0) + 0.4 * rng.standard_normal((4000, 64))).astype(np.float32)
    corpus /= np.linalg.norm(corpus, axis=1, keepdims=True)
    exact_rows, _ = all_nearest(corpus, 10)
    rows, scores = all_nearest(corpus, 10, exact_limit=0)
    assert rows.shape == (4000, 10) and (rows != np.arange(4000)[:, None]).all()
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(rows, exact_rows)])
    assert recall > 0.95
    assert (np.diff(scores, axis=1) <= 0).all()
    again, _ = all_nearest(corpus, 10, exact_limit=0)
    assert np.array_equal(rows, again)
