"""Paper vectors and the nearest-neighbour search behind marts.similar_papers."""

from __future__ import annotations

import numpy as np

from transforms.neighbour_search import nearest, top
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


def test_a_score_does_not_depend_on_the_queries_beside_it():
    """A pair's score is the same whether its query is scored alone or in a block of others
    (a daily run scores a few papers, a full build thousands: both must store one number)."""
    rng = np.random.default_rng(5)
    corpus = rng.standard_normal((700, 512)).astype(np.float32)
    corpus /= np.linalg.norm(corpus, axis=1, keepdims=True)
    rows, scores = nearest(corpus, corpus, 10, query_rows=np.arange(700), chunk=512)
    for at in (0, 333, 699):
        alone_rows, alone_scores = nearest(corpus[at:at + 1], corpus, 10, query_rows=np.array([at]))
        assert np.array_equal(alone_rows[0], rows[at]) and np.array_equal(alone_scores[0], scores[at])


def test_top_keeps_the_best_columns_and_ranks_ties_by_column():
    block = np.array([[0.1, 0.9, 0.5, 0.9, -np.inf],
                      [0.0, 0.0, 0.0, 0.0, 0.0],      # all tied: the lowest columns
                      [0.3, 0.2, 0.1, 0.4, 0.5]], dtype=np.float32)
    columns, scores = top(block, 3)
    assert columns.tolist() == [[1, 3, 2], [0, 1, 2], [4, 3, 0]]
    assert scores[0].tolist() == [np.float32(0.9), np.float32(0.9), np.float32(0.5)]
    many = np.zeros((64, 2000), dtype=np.float32)   # rows of zeros, too many ties to list
    assert (top(many, 10)[0] == np.arange(10)).all()


def test_embedding_many_long_texts_equals_embedding_each_alone():
    """The batched embedding (words counted as numbers, summed by bincount) gives each text the
    vector embed_one gives it, with the shared word weights, over texts of hundreds of words."""
    rng = np.random.default_rng(3)
    vocabulary = ["diffusion", "transformer", "speech", "reasoning", "policy", "gaussian", "agent",
                  "retrieval", "benchmark", "token", "quantization", "video", "language", "graph"]
    vocabulary += [f"w{i}x" for i in range(3000)]
    texts = [" ".join(rng.choice(vocabulary, size=rng.integers(50, 400))) for _ in range(300)]
    together = embed(texts)
    alone = np.stack([embed_one(text) for text in texts])
    assert np.abs(together - alone).max() < 1e-6
