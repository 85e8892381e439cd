from django.urls import path

from . import leaderboard_views, loop_views, views

app_name = "habits"

urlpatterns = [
    path("today/", views.today, name="today"),
    path("habits/", views.habit_list, name="list"),
    path("analytics/", views.analytics, name="analytics"),
    path("habits/new/", views.habit_create, name="create"),
    path("habits/reorder/", views.habit_reorder, name="reorder"),
    path("habits/pause-all/", views.pause_all, name="pause_all"),
    path("habits/resume-all/", views.resume_all, name="resume_all"),
    path("habits/<int:pk>/", views.habit_detail, name="detail"),
    path("habits/<int:pk>/edit/", views.habit_edit, name="edit"),
    path("habits/<int:pk>/delete/", views.habit_delete, name="delete"),
    path("habits/<int:pk>/archive/", views.habit_archive, name="archive"),
    path("habits/<int:pk>/unarchive/", views.habit_unarchive, name="unarchive"),
    path("habits/<int:pk>/move/<str:direction>/", views.habit_move, name="move"),
    path("habits/<int:pk>/pause/", views.habit_pause, name="pause"),
    path("habits/<int:pk>/resume/", views.habit_resume, name="resume"),
    path("habits/<int:pk>/check-in/", views.checkin, name="checkin"),
    path("habits/<int:pk>/undo/", views.undo, name="undo"),
    path("habits/<int:pk>/skip/", views.skip, name="skip"),
    path("habits/<int:pk>/automaticity/", views.automaticity_answer, name="automaticity"),
    path("check-ins/<int:pk>/edit/", views.checkin_edit, name="checkin_edit"),
    path("check-ins/<int:pk>/delete/", views.checkin_delete, name="checkin_delete"),
    path("profile/data/", views.your_data, name="your_data"),
    path("profile/export.json", views.export_json, name="export_json"),
    path("profile/export.zip", views.export_zip, name="export_zip"),
    path("profile/import-loop/", loop_views.import_loop, name="import_loop"),
    path("profile/import-loop/<int:pk>/", loop_views.import_loop_progress, name="import_loop_progress"),
    path("profile/export-loop.zip", loop_views.export_loop, name="export_loop"),
    path("profile/export-loop.db", loop_views.export_loop_db, name="export_loop_db"),
    path("profile/delete/", views.delete_account, name="delete_account"),
    path("leaderboard/", leaderboard_views.leaderboard_page, name="leaderboard"),
    path("leaderboard/join/", leaderboard_views.leaderboard_join, name="leaderboard_join"),
    path("leaderboard/rename/", leaderboard_views.leaderboard_rename, name="leaderboard_rename"),
    path("leaderboard/leave/", leaderboard_views.leaderboard_leave, name="leaderboard_leave"),
]
