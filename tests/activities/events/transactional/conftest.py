"""Tests here use transactional databases (two real transactions racing), which are flushed
afterwards, taking the groups the data migrations made with them: run them after the others,
as the browser tests are."""


def pytest_collection_modifyitems(config, items):
    here = __file__.rsplit("/", 1)[0]
    transactional = [item for item in items if str(item.fspath).startswith(here + "/")]
    items[:] = [item for item in items if item not in transactional] + transactional
