"""The web chat: `python app.py`, then open http://127.0.0.1:7860.

Binds 127.0.0.1 unless GRADIO_SERVER_NAME says otherwise; GRADIO_SERVER_PORT picks the port.
Settings (data folder, backend, upload limits, ...) come from RAG_* variables, see rag/settings.py.
On first start, with an empty index, it ingests seeds/ so the first visit has something to ask.
"""
import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported anywhere

from rag.ui import main  # noqa: E402

if __name__ == "__main__":
    main()
