"""Start the Qt application on a project."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QListWidget, QMainWindow, QMessageBox

from app.storage.project import Project, ProjectError


class ArticleListWindow(QMainWindow):
    """A plain window listing the project's articles."""

    def __init__(self, project: Project):
        super().__init__()
        self.project = project
        self.setWindowTitle(f"Claimdesk — {project.path.name}")
        self.list = QListWidget(self)
        self.list.setObjectName("articleList")
        self.list.setAccessibleName("Articles")
        stats = project.article_stats()
        for a in project.articles():
            s = stats.get(a.id, {})
            self.list.addItem(f"{a.title}  ·  {a.published or 'no date'}  ·  {s.get('claims', 0)} claims")
        self.setCentralWidget(self.list)
        self.resize(900, 600)


def run_app(db_path: str) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Claimdesk")
    try:
        project = Project(db_path)
    except ProjectError as exc:
        QMessageBox.critical(None, "Claimdesk", str(exc))
        return 1
    window = ArticleListWindow(project)
    window.show()
    return app.exec()
